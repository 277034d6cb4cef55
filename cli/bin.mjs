#!/usr/bin/env node
/**
 * The `mlcycle` command. Plain JavaScript so Node can start it; everything else is TypeScript,
 * loaded through one jiti instance (see runtime.mjs) so there is no build step.
 */
import { createRuntime } from './runtime.mjs';

const runtime = createRuntime();
const { main } = await runtime.importModule(new URL('./main.ts', import.meta.url).pathname);
const code = await main(process.argv.slice(2), runtime);

// Exit explicitly once stdout and stderr have drained: after a cancel, a task that ignores its
// signal (or a worker pool) may still hold the event loop, and the run is already recorded as over.
const drain = (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', resolve)));
await Promise.all([drain(process.stdout), drain(process.stderr)]);
process.exit(code);
