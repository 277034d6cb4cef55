import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { scanLoads, type DynamicLoad } from './scan-imports.ts';

/**
 * Per-process memo of source files: content hash and imports, keyed by path and validated by stat.
 * Why stat and not content: the plan asks for the code digest of every node, and 10,000 nodes of one
 * task must cost one read of each file, not 10,000.
 */

/**
 * A file modified this close to when it was read may change again within the same timestamp tick
 * (coarse kernel clocks tick every few ms; some filesystems every second): such an entry is
 * "racy" (git's term) and is re-read until the file has been still for this long.
 */
export const RACY_MS = 100;

const CODE = /\.(?:[cm]?[jt]sx?)$/;

/** A file's identity as far as change detection goes; undefined when it does not exist. */
export interface FileStamp {
  /** mtime, ctime, size and inode together: an edit, a replace-by-rename or a restore all change it. */
  key: string;
  mtimeMs: number;
}

export interface SourceInfo {
  sha256: string;
  /** Run-time import specifiers (empty for non-code files such as JSON). */
  imports: string[];
  /** Loads with a computed specifier, which the digest cannot follow (empty for non-code files). */
  dynamic: DynamicLoad[];
}

interface Entry {
  stamp: FileStamp;
  readAtMs: number;
  info: SourceInfo;
}

const memo = new Map<string, Entry>();

/**
 * The stamp of a file, or undefined if it is missing.
 * @example
 * stampOf('/p/plugins/x/task.ts')?.key // '1718…:1718…:1234:5678'
 */
export function stampOf(path: string): FileStamp | undefined {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!s || !s.isFile()) return undefined;
  return { key: `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`, mtimeMs: Number(s.mtimeNs / 1_000_000n) };
}

/**
 * True when a file read at `readAtMs` with this stamp cannot have changed unseen since.
 * @example
 * isSettled(stamp, Date.now()) // false for a file written a moment ago
 */
export function isSettled(stamp: FileStamp, readAtMs: number): boolean {
  return stamp.mtimeMs < readAtMs - RACY_MS;
}

/**
 * Content hash and run-time imports of a file, from the memo when its stamp is unchanged and settled.
 * Undefined when the file does not exist.
 * @example
 * readSource('/p/plugins/x/task.ts') // { sha256: '3f…', imports: ['mlcycle', './helpers.ts'] }
 */
export function readSource(path: string): (SourceInfo & { stamp: FileStamp }) | undefined {
  const stamp = stampOf(path);
  if (!stamp) return undefined;
  const hit = memo.get(path);
  if (hit && hit.stamp.key === stamp.key && isSettled(stamp, hit.readAtMs)) return { ...hit.info, stamp };
  const readAtMs = Date.now();
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const loads = CODE.test(path) ? scanLoads(bytes.toString('utf8')) : { specifiers: [], dynamic: [] };
  const info: SourceInfo = {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    imports: loads.specifiers,
    dynamic: loads.dynamic,
  };
  memo.set(path, { stamp, readAtMs, info });
  return { ...info, stamp };
}

/** Forgets every memoised file (tests; a long-lived process that wants a fresh look). */
export function clearSourceCache(): void {
  memo.clear();
}
