import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from './blob-layout.ts';

/**
 * Publishes `bytes` at `finalPath` so that readers see either nothing or the whole file: write a temp
 * file in the same folder → fsync → rename. A crash at any point leaves at most a temp file.
 *
 * Written here rather than taken from write-file-atomic: the store needs a synchronous, allocation-light
 * path for 10,000 small blobs, temp names that its listing recognises, and tolerance of a concurrent
 * writer publishing the same content first.
 * @example
 * writeFileAtomicSync('/objects/ab/cdef…', bytes);
 */
export function writeFileAtomicSync(finalPath: string, bytes: Uint8Array): void {
  const temp = tempPathFor(finalPath);
  const fd = openTemp(temp);
  try {
    try {
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
      // Durability before visibility: the rename must never publish bytes still in the page cache only.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    publish(temp, finalPath, bytes.byteLength);
  } catch (err) {
    unlinkQuietly(temp);
    throw err;
  }
}

/** Creates the temp exclusively; the shard folder is made on first use only (ENOENT), keeping the hot path to one syscall. */
function openTemp(temp: string): number {
  try {
    return openSync(temp, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(temp), { recursive: true });
    return openSync(temp, 'wx');
  }
}

function publish(temp: string, finalPath: string, size: number): void {
  try {
    renameSync(temp, finalPath);
  } catch (err) {
    // Windows refuses to rename over a file another process holds open. Content addressing means a
    // file of the right size under this name is the same content, so another writer has done our job.
    const existing = statSync(finalPath, { throwIfNoEntry: false });
    if (existing?.isFile() && existing.size === size) {
      unlinkQuietly(temp);
      return;
    }
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already renamed or removed: nothing to clean up.
  }
}
