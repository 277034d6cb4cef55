/**
 * One jiti instance for the CLI and every DAG file it loads.
 *
 * Why one: a DAG file's `import … from 'mlcycle'` must reach the very module instance of core that
 * the CLI uses, or `instanceof ValidationError` and the task registry break across the boundary.
 * jiti keeps a single module cache per instance, so loading both through it shares core. The
 * instance (aliases, caching) is made by core/ts-loader.mjs, as in every worker thread.
 */
import { fileURLToPath } from 'node:url';
import { corePath, createTsLoader, pluginsPath } from '../core/ts-loader.mjs';

export { corePath, pluginsPath };

/** Absolute path of this CLI's bin script (the scaffold's package.json points at it). */
export const binPath = fileURLToPath(new URL('./bin.mjs', import.meta.url));

/** Creates the shared jiti instance. */
export function createRuntime() {
  const jiti = createTsLoader();
  return {
    /** Imports a module (TypeScript or JavaScript) through the shared instance. */
    importModule: (specifier) => jiti.import(specifier),
    corePath,
    binPath,
  };
}
