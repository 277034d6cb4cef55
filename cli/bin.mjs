#!/usr/bin/env node
/**
 * The `mlcycle` command. Plain JavaScript so Node can start it; everything else is TypeScript,
 * loaded through one jiti instance (see runtime.mjs) so there is no build step.
 */
import { createRuntime } from './runtime.mjs';

const runtime = createRuntime();
const { main } = await runtime.importModule(new URL('./main.ts', import.meta.url).pathname);
// exitCode rather than exit(): lets stdout drain when it is a pipe (a `--json` reader).
process.exitCode = await main(process.argv.slice(2), runtime);
