import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This machine in 8 hex digits: put in the names of temp files and folders so a later process can
 * tell leftovers made here (whose pid it can check) from ones made on another machine sharing the
 * folder (which only age can retire).
 * @example
 * `${HOST_TAG}-${process.pid}-${randomBytes(4).toString('hex')}`
 */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/**
 * Whether a process with this pid exists on this machine. EPERM counts as alive: the pid exists
 * but belongs to another user, so it may still be writing. Not proof against pid reuse; the run
 * store adds the process start time for that.
 * @example
 * if (!processAlive(owner.pid)) removeLeftover(dir);
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
