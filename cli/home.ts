import { resolve } from 'node:path';
// The small module, not core/index.ts: every command resolves its home, and --help must stay light.
import { fileInTheWay } from '../core/engine/home-path.ts';
import { UsageError } from './exit-codes.ts';

/**
 * The workspace folder: `--home`, else MLCYCLE_HOME, else `./.mlcycle` in the working directory.
 * Resolved to an absolute path here so that every later message names the real folder. A file in
 * its place (or on its path) is refused here, for every command, naming where the path came from:
 * otherwise a read command would say "no runs yet" and a write command fail on a raw EEXIST.
 * @example
 * resolveHome({ home: 'ws' }, { cwd: '/p', env: {} }); // '/p/ws'
 */
export function resolveHome(options: { home?: string }, ctx: { cwd: string; env: NodeJS.ProcessEnv }): string {
  const home = resolve(ctx.cwd, options.home ?? ctx.env.MLCYCLE_HOME ?? '.mlcycle');
  const file = fileInTheWay(home);
  if (file !== undefined) {
    const source = options.home !== undefined ? '--home' : ctx.env.MLCYCLE_HOME !== undefined ? 'MLCYCLE_HOME' : 'the default workspace';
    const fix = `point ${source === 'MLCYCLE_HOME' ? 'MLCYCLE_HOME' : '--home'} at a folder (it is created if missing), or move the file away.`;
    throw new UsageError(file === home
      ? `${source} ${home} is a file, not a folder: ${fix}`
      : `${source} ${home} cannot be a folder: ${file} is a file, not a folder; ${fix}`);
  }
  return home;
}
