import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The nearest existing path at or above `path` when it is not a folder (a file where a folder must
 * be), else undefined. Errors other than ENOTDIR end the search: the later mkdir reports them.
 * @example
 * fileInTheWay('/tmp/notes.txt/ws'); // '/tmp/notes.txt'
 */
export function fileInTheWay(path: string): string | undefined {
  for (let p = path; ; p = dirname(p)) {
    let stat;
    try {
      stat = statSync(p, { throwIfNoEntry: false });
    } catch (err) {
      // ENOTDIR: some ancestor is a file; keep climbing to name it.
      if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') return undefined;
    }
    if (stat) return stat.isDirectory() ? undefined : p;
    if (dirname(p) === p) return undefined;
  }
}
