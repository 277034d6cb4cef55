import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
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
    publish(temp, finalPath, bytes);
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

function publish(temp: string, finalPath: string, bytes: Uint8Array): void {
  try {
    renameSync(temp, finalPath);
  } catch (err) {
    // Windows refuses to rename over a file another process holds open. If that file already holds
    // exactly these bytes, another writer has done our job; a size match alone is not enough (a
    // corrupt blob of the right size would survive every rewrite).
    if (fileHolds(finalPath, bytes)) {
      unlinkQuietly(temp);
      return;
    }
    throw err;
  }
}

/** Compare buffer: small enough to be cheap, large enough that syscalls do not dominate. */
const CHUNK = 1 << 16;

/** What a path holds compared with the bytes about to be written there. */
export type ExistingContent =
  | { state: 'absent' }
  | { state: 'same'; mtimeMs: number }
  /** Another size or other bytes; `isFile` false for a folder or device under that name. */
  | { state: 'different'; isFile: boolean };

/**
 * Compares the file at `path` with `bytes`: one open, one fstat and chunked reads that stop at the
 * first difference, so a wrong file costs little and a large right one never doubles memory.
 * Cheaper than a re-hash, and exact. A file that cannot be opened for another reason than ENOENT
 * counts as different (the caller replaces it).
 * @example
 * if (existingContent(target, bytes).state !== 'same') writeFileAtomicSync(target, bytes);
 */
export function existingContent(path: string, bytes: Uint8Array): ExistingContent {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { state: 'absent' } : { state: 'different', isFile: false };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { state: 'different', isFile: false };
    if (st.size !== bytes.byteLength) return { state: 'different', isFile: true };
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, bytes.byteLength)));
    let offset = 0;
    while (offset < bytes.byteLength) {
      const n = readSync(fd, buf, 0, Math.min(buf.byteLength, bytes.byteLength - offset), offset);
      // Shorter than fstat said (truncated under us): not these bytes.
      if (n === 0) return { state: 'different', isFile: true };
      if (Buffer.compare(buf.subarray(0, n), bytes.subarray(offset, offset + n)) !== 0) return { state: 'different', isFile: true };
      offset += n;
    }
    return { state: 'same', mtimeMs: st.mtimeMs };
  } catch {
    return { state: 'different', isFile: true };
  } finally {
    closeSync(fd);
  }
}

/**
 * True when `path` is a regular file whose content is exactly `bytes` (see existingContent).
 * @example
 * if (!fileHolds(target, bytes)) writeFileAtomicSync(target, bytes);
 */
export function fileHolds(path: string, bytes: Uint8Array): boolean {
  return existingContent(path, bytes).state === 'same';
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already renamed or removed: nothing to clean up.
  }
}
