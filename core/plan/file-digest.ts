import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataError } from '../errors.ts';
import { isSettled } from './source-cache.ts';

/** Read size of the streamed hash: large enough that syscalls do not dominate, small enough to never matter for memory. */
const CHUNK = 1 << 20;
/** The 16 bytes every SQLite database file starts with. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/**
 * Files SQLite reads beside a database: committed rows may live in the WAL for a long time (until a
 * checkpoint), and a hot rollback journal is rolled back by the next reader. Hashing the database file
 * alone would miss both, so a WAL commit would leave the key unchanged (a stale hit).
 */
const SQLITE_SIDECARS = ['-wal', '-journal'];
// A FIFO opened without O_NONBLOCK blocks until a writer appears; with it, open returns at once and
// fstat can refuse it. Windows has no such flag (nor FIFOs on its filesystems).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

interface Hashed {
  digest: string;
  sqlite: boolean;
}

// Keyed by path and stamp (mtime, ctime, size, inode): re-hashing a large data file for every plan
// and run is the slow part. A stamp too recent to trust is re-read (same rule as the code digest).
const memo = new Map<string, { stamp: string; mtimeMs: number; readAtMs: number; hashed: Hashed }>();

/**
 * sha256 of a file a task declared with `files(params)`: part of the node's cache key, so editing
 * the file invalidates the node and an untouched file keeps it a hit. Streamed (any size, constant
 * memory); refuses what is not a regular file (a device, a FIFO, a directory) with a DataError.
 * A SQLite database also covers its `-wal` and `-journal` files when they exist and are not empty,
 * because SQLite reads rows from them: a plain file keeps the plain sha256 of its bytes.
 * @example
 * fileDigest('data/penguins.csv', process.cwd()); // '9f86d0…'
 */
export function fileDigest(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const main = hashFile(abs, path, cwd, false)!;
  if (!main.sqlite) return main.digest;
  const parts = [`sqlite:${main.digest}`];
  for (const suffix of SQLITE_SIDECARS) {
    // A sidecar that vanished since (a checkpoint by the last connection closing) is simply absent.
    const side = hashFile(abs + suffix, path + suffix, cwd, true);
    if (side) parts.push(`${suffix}:${side.digest}`);
  }
  return parts.length === 1 ? main.digest : createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * Forgets memoised file digests (tests; a long-lived process that wants a fresh look).
 * @example
 * clearFileDigestCache();
 */
export function clearFileDigestCache(): void {
  memo.clear();
}

/** The digest of one file; undefined for a missing (or empty) optional file. */
function hashFile(abs: string, shown: string, cwd: string, optional: boolean): Hashed | undefined {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (optional && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DataError(`file '${shown}' does not exist (looked for ${abs}; relative paths resolve against ${cwd})`, { cause: err });
    }
    // open(2) on a socket fails with ENXIO: it is as much "not a regular file" as a FIFO.
    if (code === 'ENXIO') throw new DataError(`file '${shown}' is not a regular file (it is a socket or device: ${abs}); point the path at a data file`, { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new DataError(`file '${shown}' is not readable by this user (${abs}); make it readable`, { cause: err });
    throw err;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) {
      throw new DataError(`file '${shown}' is not a regular file (it is ${kindOf(st)}: ${abs}); point the path at a data file`);
    }
    if (optional && st.size === 0n) return undefined;
    const stamp = `${st.mtimeNs}:${st.ctimeNs}:${st.size}:${st.ino}`;
    const mtimeMs = Number(st.mtimeNs / 1_000_000n);
    const hit = memo.get(abs);
    if (hit && hit.stamp === stamp && isSettled({ key: stamp, mtimeMs }, hit.readAtMs)) return hit.hashed;
    const readAtMs = Date.now();
    const hashed = streamHash(fd);
    memo.set(abs, { stamp, mtimeMs, readAtMs, hashed });
    return hashed;
  } finally {
    closeSync(fd);
  }
}

/** sha256 of everything readable from fd, in chunks; notes whether it starts like a SQLite database. */
function streamHash(fd: number): Hashed {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let position = 0;
  let sqlite = false;
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK, position);
    if (n === 0) break;
    if (position === 0) sqlite = n >= SQLITE_MAGIC.length && buf.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC);
    hash.update(buf.subarray(0, n));
    position += n;
  }
  return { digest: hash.digest('hex'), sqlite };
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}
