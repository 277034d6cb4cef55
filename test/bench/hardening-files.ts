/**
 * Parts 2, 3 and 5 of the hardening benchmark, the checks on files:
 * - a blob rewrite (`BlobStore.write` of a blob already present) now compares bytes, where the old
 *   write took sha256 + a stat and trusted a matching size;
 * - a file the user gets (`writeUserFile`) goes through temp + fsync + rename, against a plain
 *   `writeFileSync`;
 * - a declared data file's digest (`fileDigest`) is streamed in 1 MiB reads and refuses non-regular
 *   files, against sha256 of `readFileSync`.
 * Everything lives in one temp folder on the same file system as the workspace would (os.tmpdir()).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openBlobStore } from '../../core/artifacts/blob-store.ts';
import { writeUserFile } from '../../core/artifacts/user-file.ts';
import { clearFileDigestCache, fileDigest } from '../../core/plan/file-digest.ts';
import { bestOf, paired, row, type HardeningRow } from './hardening-timing.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

const sizeText = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

/**
 * Rewrites `count` blobs of `size` bytes already in the store: write() (byte comparison) against the
 * old write's work (sha256 + statSync + size test); the note adds the bare statSync floor per blob.
 * @example
 * const r = await blobRewriteRow(dir, { count: 5000, size: 1024, reps: 5 });
 */
export async function blobRewriteRow(dir: string, o: { count: number; size: number; reps: number }): Promise<HardeningRow> {
  const blobs = openBlobStore(join(dir, `objects-${o.size}`));
  const items = Array.from({ length: o.count }, () => new Uint8Array(randomBytes(o.size)));
  const paths = items.map((bytes) => blobs.path(blobs.write(bytes).digest));
  const oldWrite = () => {
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const bytes = items[i]!;
      createHash('sha256').update(bytes).digest('hex');
      if (statSync(paths[i]!, { throwIfNoEntry: false })?.size === bytes.byteLength) kept++;
    }
    return kept;
  };
  const times = await paired(o.reps, () => items.map((bytes) => blobs.write(bytes).repaired), oldWrite);
  const statMs = await bestOf(o.reps, () => paths.map((p) => statSync(p).size));
  const us = (ms: number) => ((ms * 1000) / o.count).toFixed(1);
  return row({
    check: 'blob rewrite',
    case: `${o.count} × ${sizeText(o.size)} already present`,
    against: 'sha256 + stat (old write)',
    unit: 'µs',
    perItem: o.count,
    note: `blob rewrite ${sizeText(o.size)}: ${us(times.checkedMs)} µs per blob now, ${us(times.uncheckedMs)} µs with the old size-only check; `
      + `a bare statSync is ${us(statMs)} µs, so comparing bytes adds ${us(times.checkedMs - times.uncheckedMs)} µs per blob.`,
  }, times);
}

/**
 * One user file of `size` bytes replaced over and over: writeUserFile (temp, fsync, rename, fsync of
 * the folder) against writeFileSync in place.
 * @example
 * const r = await userFileRow(dir, { size: 4096, reps: 20 });
 */
export async function userFileRow(dir: string, o: { size: number; reps: number }): Promise<HardeningRow> {
  const data = randomBytes(o.size);
  const [checkedFile, plainFile] = [join(dir, `user-${o.size}.bin`), join(dir, `plain-${o.size}.bin`)];
  writeFileSync(checkedFile, data);
  writeFileSync(plainFile, data);
  const times = await paired(o.reps, () => writeUserFile(checkedFile, data), () => writeFileSync(plainFile, data));
  return row({ check: 'user file', case: `${sizeText(o.size)} replaced`, against: 'writeFileSync', unit: 'ms' }, times);
}

/**
 * A `size`-byte file hashed by fileDigest (memo cleared each time) against sha256 of readFileSync.
 * @example
 * const r = await fileDigestRow(dir, { size: 256 * MiB, reps: 3 });
 */
export async function fileDigestRow(dir: string, o: { size: number; reps: number }): Promise<HardeningRow> {
  const file = join(dir, 'big.bin');
  writeRandomFile(file, o.size);
  const times = await paired(
    o.reps,
    () => fileDigest(file, dir),
    () => createHash('sha256').update(readFileSync(file)).digest('hex'),
    { before: clearFileDigestCache },
  );
  if (fileDigest(file, dir) !== createHash('sha256').update(readFileSync(file)).digest('hex')) {
    throw new Error('fileDigest and sha256(readFileSync) disagree: the two sides do not do the same work');
  }
  return row({ check: 'file digest', case: `${sizeText(o.size)} file, streamed`, against: 'sha256(readFileSync)', unit: 'ms' }, times, 1.1);
}

/** One random MiB repeated up to `size` (hashing cost does not depend on the bytes; no 256 MiB Buffer needed). */
function writeRandomFile(file: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    const piece = randomBytes(MiB);
    for (let done = 0; done < size; done += MiB) writeSync(fd, piece, 0, Math.min(MiB, size - done));
  } finally {
    closeSync(fd);
  }
}

export { KiB, MiB };
