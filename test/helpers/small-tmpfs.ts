/**
 * A small tmpfs to run out of space on (ENOSPC tests): root in a container that allows `mount`,
 * else the caller skips and the reason is printed. Shared by the atomic-write tests.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Mounts a tmpfs of `size` on a fresh temp folder and returns it, or undefined (printing why,
 * prefixed with `suite`) when mounting is not allowed here.
 * @example
 * const dir = mountSmallTmpfs('cli-atomic-files'); const onTmpfs = dir ? it : it.skip;
 */
export function mountSmallTmpfs(suite: string, size = '64k'): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-enospc-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    console.log(`${suite}: ENOSPC tests skipped: cannot mount a ${size} tmpfs (${why})`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/**
 * Unmounts and removes what mountSmallTmpfs made (nothing when it returned undefined).
 * @example
 * afterAll(() => unmountSmallTmpfs(dir));
 */
export function unmountSmallTmpfs(dir: string | undefined): void {
  if (!dir) return;
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Fills what is left of the tmpfs, so the next page any file needs fails with ENOSPC; returns the
 * filler file (delete it to free the space again).
 * @example
 * const filler = fillUp(dir);
 */
export function fillUp(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const page = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, page);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return filler;
}
