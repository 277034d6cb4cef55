import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataError } from '../errors.ts';

// Keyed by path, size and mtime: re-hashing a large data file for every plan and run is the slow part.
const memo = new Map<string, { size: number; mtimeMs: number; digest: string }>();

/**
 * sha256 of a file a task declared with `files(params)`: part of the node's cache key, so editing
 * the file invalidates the node and an untouched file keeps it a hit.
 * @example
 * fileDigest('data/penguins.csv', process.cwd());
 */
export function fileDigest(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new DataError(`file '${path}' does not exist (looked for ${abs}; relative paths resolve against ${cwd})`);
  }
  const hit = memo.get(abs);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.digest;
  const digest = createHash('sha256').update(readFileSync(abs)).digest('hex');
  memo.set(abs, { size: st.size, mtimeMs: st.mtimeMs, digest });
  return digest;
}
