import { resolve } from 'node:path';
import { ValidationError } from '../errors.ts';
import { fileInTheWay } from './home-path.ts';

/** Where a home comes from: `home` (the `--home` flag or option), else the environment, else the cwd. */
export interface HomeSource {
  /** The working directory a relative home resolves against (default: `process.cwd()`). */
  cwd?: string;
  /** Read for MLCYCLE_HOME (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The workspace folder: `home` (`--home`), else MLCYCLE_HOME, else `./.mlcycle` in the working
 * directory, as an absolute path so that every later message names the real folder. A file in its
 * place (or on its path) is refused with a ValidationError naming where the path came from:
 * otherwise a read command would say "no runs yet" and a write fail on a raw EEXIST. The CLI and
 * openWorkspace both resolve through this; cwd and env are explicit so the CLI can pass its own.
 * Small on purpose (no store, no core index): every CLI command resolves its home, `--help` included.
 * @example
 * resolveHome({ home: 'ws' }, { cwd: '/p', env: {} }); // '/p/ws'
 * resolveHome(); // '/work/project/.mlcycle' (MLCYCLE_HOME unset)
 */
export function resolveHome(options: { home?: string } = {}, source: HomeSource = {}): string {
  const env = source.env ?? process.env;
  const home = resolve(source.cwd ?? process.cwd(), options.home ?? env.MLCYCLE_HOME ?? '.mlcycle');
  const file = fileInTheWay(home);
  if (file !== undefined) {
    const from = options.home !== undefined ? '--home' : env.MLCYCLE_HOME !== undefined ? 'MLCYCLE_HOME' : 'the default workspace';
    const fix = `point ${from === 'MLCYCLE_HOME' ? 'MLCYCLE_HOME' : '--home'} at a folder (it is created if missing), or move the file away.`;
    throw new ValidationError(file === home
      ? `${from} ${home} is a file, not a folder: ${fix}`
      : `${from} ${home} cannot be a folder: ${file} is a file, not a folder; ${fix}`);
  }
  return home;
}
