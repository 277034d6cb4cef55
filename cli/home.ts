import { resolve } from 'node:path';

/**
 * The workspace folder: `--home`, else MLCYCLE_HOME, else `./.mlcycle` in the working directory.
 * Resolved to an absolute path here so that every later message names the real folder.
 */
export function resolveHome(options: { home?: string }, ctx: { cwd: string; env: NodeJS.ProcessEnv }): string {
  return resolve(ctx.cwd, options.home ?? ctx.env.MLCYCLE_HOME ?? '.mlcycle');
}
