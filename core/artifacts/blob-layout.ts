import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.ts';

/**
 * On-disk layout of the blob store: `objects/ab/cdef…` (git-style fan-out, so no folder holds more
 * than 1/256 of the blobs) and in-flight temp files beside their final name.
 */

const DIGEST = /^[0-9a-f]{64}$/;
const SHARD = /^[0-9a-f]{2}$/;
const REST = /^[0-9a-f]{62}$/;
/** Temp files start with a dot so they can never be mistaken for a 62-hex blob name. */
const TEMP_PREFIX = '.tmp-';

/**
 * True when `value` is a lowercase sha256 hex digest.
 * @example
 * isDigest('ab'.repeat(32)) // true
 */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/**
 * The final path of a blob. Rejects anything but a sha256 hex digest, which also keeps a digest read
 * from a database from ever escaping the store (`../../etc`).
 * @example
 * blobPath('/home/.mlcycle/objects', digest) // '/home/.mlcycle/objects/ab/cdef…'
 */
export function blobPath(root: string, digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new ValidationError(`blob store: '${digest}' is not a sha256 hex digest (64 lowercase hex characters)`);
  }
  return join(root, digest.slice(0, 2), digest.slice(2));
}

/**
 * A fresh temp path in the same folder as the final blob, so the rename that publishes it is atomic
 * (same filesystem). pid + random bytes: two processes, or two writes in one, never share a temp.
 * @example
 * tempPathFor('/objects/ab/cdef…') // '/objects/ab/.tmp-4242-9f8e7d6c5b4a3921'
 */
export function tempPathFor(finalPath: string): string {
  const slash = Math.max(finalPath.lastIndexOf('/'), finalPath.lastIndexOf('\\'));
  return `${finalPath.slice(0, slash + 1)}${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** Shard folders (`ab`) under root; none when root does not exist yet. */
function shards(root: string): string[] {
  try {
    return readdirSync(root).filter((name) => SHARD.test(name)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    // A concurrent gc may remove a folder between listing root and listing it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Every stored digest, sorted. Temp files and stray names are ignored.
 * @example
 * listDigests('/home/.mlcycle/objects') // ['00a1…', 'ab12…']
 */
export function listDigests(root: string): string[] {
  const out: string[] = [];
  for (const shard of shards(root)) {
    for (const name of entries(join(root, shard)).sort()) {
      if (REST.test(name)) out.push(shard + name);
    }
  }
  return out;
}

/** A temp file left in the store (a write in flight, or one a crash abandoned). */
export interface TempFile {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * Temp files in the store, with their age, so gc can remove the ones a crash left behind.
 * @example
 * listTempFiles(root).filter((t) => Date.now() - t.mtimeMs > 3_600_000)
 */
export function listTempFiles(root: string): TempFile[] {
  const out: TempFile[] = [];
  for (const shard of shards(root)) {
    const dir = join(root, shard);
    for (const name of entries(dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const stat = statSync(join(dir, name), { throwIfNoEntry: false });
      // Gone already: its writer renamed it into place.
      if (stat) out.push({ path: join(dir, name), bytes: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
  return out;
}
