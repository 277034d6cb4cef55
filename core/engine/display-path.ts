import { isAbsolute, relative, sep } from 'node:path';
// The mlcycle checkout (or installed package): built-in plugins read best as `plugins/x/y.ts` from any
// working directory.
import { mlcycleRoot } from './mlcycle-root.ts';

/** `file` relative to `dir` when it lies strictly inside it, else undefined. */
function inside(file: string, dir: string): string | undefined {
  const rel = relative(dir, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel;
}

/**
 * A file as the user best recognises it in a message: relative when it lies under `cwd`, else (with
 * `orInMlcycle`, for mlcycle's own files such as built-in plugins) relative to the mlcycle checkout,
 * else absolute. A path relative to the checkout is only offered when asked: for a user's own file
 * (a DAG) it would read as if it were under the cwd.
 * @example
 * displayPath('/p/dags/a.ts', '/p'); // 'dags/a.ts'
 * displayPath('/elsewhere/a.ts', '/p'); // '/elsewhere/a.ts'
 * displayPath('/opt/mlcycle/plugins/x.ts', '/p', { orInMlcycle: true }); // 'plugins/x.ts', mlcycle being in /opt/mlcycle
 */
export function displayPath(file: string, cwd: string, options: { orInMlcycle?: boolean } = {}): string {
  return inside(file, cwd) ?? (options.orInMlcycle ? inside(file, mlcycleRoot) : undefined) ?? file;
}
