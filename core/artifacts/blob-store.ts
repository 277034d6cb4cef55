import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IntegrityError } from '../errors.ts';
import { existingContent, writeFileAtomicSync } from './atomic-write.ts';
import { blobPath, isDigest, listDigests } from './blob-layout.ts';

/**
 * A content-addressed store of bytes: each blob lives at `objects/ab/cdef…`, named by its sha256.
 * Synchronous on purpose: the engine's hot path writes thousands of small blobs, and a sync call
 * costs a few syscalls where a promise chain costs several event-loop turns each.
 */
export interface BlobStore {
  /** The `objects` folder. */
  readonly root: string;
  /** sha256 hex of bytes. */
  digestOf(bytes: Uint8Array): string;
  /**
   * Stores bytes (idempotent): a blob already present is kept only when its content equals `bytes`
   * (compared, and freshened so gc's grace period protects it); any other file under that name (a
   * corrupt blob, even of the right size, or a truncated one) is copied to quarantine and replaced:
   * temp file in the same folder → fsync → rename. Two processes writing one digest both succeed.
   * `repaired` is true when a wrong file was replaced.
   */
  write(bytes: Uint8Array): { digest: string; bytes: number; repaired?: boolean };
  /** Reads and verifies (re-hash); throws IntegrityError naming the digest if missing or corrupt. */
  read(digest: string): Uint8Array;
  /** Whether the blob exists (no hash). */
  has(digest: string): boolean;
  /** Re-hashes the blob. */
  verify(digest: string): 'ok' | 'missing' | 'corrupt';
  /** Every stored digest, sorted; temp files are not listed. */
  list(): string[];
  /** Removes a blob; removing a missing blob is not an error (a concurrent gc may have won). */
  remove(digest: string): void;
  /** Moves a bad blob to `<home>/quarantine/<digest>-<time>`, out of the way but kept for inspection; returns that path. */
  quarantine(digest: string): string;
  /** Where the blob with this digest lives (whether or not it exists). */
  path(digest: string): string;
}

/**
 * Opens (lazily creates) the blob store under `root`, which is `<home>/objects`.
 * @example
 * const blobs = openBlobStore(join(home, 'objects'));
 * const { digest } = blobs.write(Json.encode({ a: 1 }));
 * Json.decode(blobs.read(digest)); // { a: 1 }
 */
export function openBlobStore(root: string): BlobStore {
  const digestOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
  const path = (digest: string): string => blobPath(root, digest);

  /** Raw bytes, or undefined when missing. */
  const readRaw = (digest: string): Uint8Array | undefined => {
    try {
      const buf = readFileSync(path(digest));
      // A plain Uint8Array view (no copy), so callers and test equality never meet Buffer quirks.
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return undefined;
      throw err;
    }
  };

  return {
    root,
    digestOf,
    path,

    write(bytes) {
      const digest = digestOf(bytes);
      const target = path(digest);
      // Same size is not same content: a flipped byte must not survive `run --no-cache`.
      const existing = existingContent(target, bytes);
      if (existing.state === 'same') {
        // Touching costs a syscall per write; a blob touched within the last minute is fresh enough
        // for gc's grace period (minutes), so most repeated writes skip it.
        if (Date.now() - existing.mtimeMs > FRESH_MS) freshen(target);
        return { digest, bytes: bytes.byteLength };
      }
      // A wrong file under this name: keep a copy for inspection, then the rename replaces it
      // atomically (readers see the bad file or the good one, never none).
      if (existing.state === 'different' && existing.isFile) keepAside(target, join(dirname(root), 'quarantine'), digest);
      writeFileAtomicSync(target, bytes);
      return existing.state === 'absent' ? { digest, bytes: bytes.byteLength } : { digest, bytes: bytes.byteLength, repaired: true };
    },

    read(digest) {
      const bytes = readRaw(digest);
      if (!bytes) throw new IntegrityError(`blob ${digest} is missing (expected at ${path(digest)})`);
      const actual = digestOf(bytes);
      if (actual !== digest) {
        throw new IntegrityError(
          `blob ${digest} is corrupt: its ${bytes.byteLength} bytes hash to ${actual}; ` +
          `run 'mlcycle cache verify --quarantine' and re-run to recompute it`,
        );
      }
      return bytes;
    },

    has(digest) {
      return isDigest(digest) && statSync(path(digest), { throwIfNoEntry: false })?.isFile() === true;
    },

    verify(digest) {
      const bytes = isDigest(digest) ? readRaw(digest) : undefined;
      if (!bytes) return 'missing';
      return digestOf(bytes) === digest ? 'ok' : 'corrupt';
    },

    list: () => listDigests(root),

    remove(digest) {
      try {
        unlinkSync(path(digest));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },

    quarantine(digest) {
      const from = path(digest);
      if (!statSync(from, { throwIfNoEntry: false })) {
        throw new IntegrityError(`blob ${digest} cannot be quarantined: it is missing (expected at ${from})`);
      }
      const to = quarantinePath(join(dirname(root), 'quarantine'), digest);
      moveFile(from, to);
      return to;
    },
  };
}

const FRESH_MS = 60_000;

/**
 * Touches a blob that a write found already present: gc spares recently modified blobs, and a run
 * that is about to reference this blob has not recorded it in the run store yet.
 */
function freshen(target: string): void {
  try {
    const now = new Date();
    utimesSync(target, now, now);
  } catch {
    // A read-only store still serves the blob; only gc's grace period is weaker for it.
  }
}

/** `<folder>/<digest>-<time>`, the folder made on demand. */
function quarantinePath(folder: string, digest: string): string {
  mkdirSync(folder, { recursive: true });
  // Filename-safe ISO time: sortable, readable, and legal on Windows (no colons).
  return join(folder, `${digest}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/**
 * A hard link in quarantine to a bad blob about to be replaced, so the evidence survives the repair
 * without a moment when the blob is missing. Best effort: a store that cannot link (another device,
 * a filesystem without links, a second repair in the same millisecond) is repaired all the same.
 */
function keepAside(target: string, folder: string, digest: string): void {
  try {
    linkSync(target, quarantinePath(folder, digest));
  } catch {
    // The repair matters; the copy for inspection does not.
  }
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    // <home>/objects may be a mount or symlink onto another device.
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}
