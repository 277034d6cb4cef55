#!/usr/bin/env node
/**
 * Runs one TypeScript file with the same loader as the CLI (`node cli/run-ts.mjs file.ts args…`),
 * so scripts such as benchmarks can `import … from 'mlcycle'` with no build step.
 */
import { resolve } from 'node:path';
import { createRuntime } from './runtime.mjs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node cli/run-ts.mjs <file.ts> [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(file), ...rest];
await createRuntime().importModule(resolve(file));
