import { statSync, unlinkSync } from 'node:fs';
import { listTempFiles } from './blob-layout.ts';
import type { BlobStore } from './blob-store.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface VerifyBlobsOptions {
  /** Move corrupt blobs to `<home>/quarantine/` so the next run recomputes them. */
  quarantine: boolean;
  /**
   * Digests that should exist (the run store's references): those absent are reported as missing.
   * Without it only stored blobs are checked, and none can be missing.
   */
  expected?: Iterable<string>;
  onProgress?(done: number, total: number): void;
}

export interface VerifyBlobsReport {
  checked: number;
  ok: number;
  missing: string[];
  corrupt: string[];
  /** Where each quarantined blob went (`<home>/quarantine/<digest>-<time>`). */
  quarantined: string[];
}

/**
 * Re-hashes every blob (and every expected one), for `mlcycle cache verify`.
 * @example
 * const report = verifyBlobs(blobs, { quarantine: true, expected: store.referencedDigests() });
 * if (report.corrupt.length) console.error(`moved ${report.quarantined.length} corrupt blobs aside`);
 */
export function verifyBlobs(blobs: BlobStore, options: VerifyBlobsOptions): VerifyBlobsReport {
  const digests = new Set(blobs.list());
  for (const digest of options.expected ?? []) digests.add(digest);
  const report: VerifyBlobsReport = { checked: 0, ok: 0, missing: [], corrupt: [], quarantined: [] };
  const total = digests.size;
  for (const digest of [...digests].sort()) {
    const state = blobs.verify(digest);
    report.checked++;
    if (state === 'ok') report.ok++;
    else if (state === 'missing') report.missing.push(digest);
    else {
      report.corrupt.push(digest);
      if (options.quarantine) report.quarantined.push(blobs.quarantine(digest));
    }
    options.onProgress?.(report.checked, total);
  }
  return report;
}

export interface GcBlobsOptions {
  /** Report what would be removed, remove nothing. */
  dryRun: boolean;
  /**
   * Unreferenced blobs modified less than this long ago are kept (default 0: collect everything
   * unreferenced). A run in progress writes a blob before it records the reference in the run store
   * (and a write that finds its blob present touches it), so a gc that may overlap a run should pass
   * a grace period, e.g. an hour; otherwise that run can lose an input it just wrote.
   */
  graceMs?: number;
  /** Temp files older than this are leftovers of crashed writes and are removed (default one hour). */
  tempMaxAgeMs?: number;
  /** The current time, in ms since the epoch (default Date.now()). */
  now?: number;
}

export interface GcBlobsReport {
  /** Digests removed (or, on a dry run, that would be). */
  removed: string[];
  /** Bytes freed by removed blobs and temp files (or that would be). */
  freedBytes: number;
  /** Blobs left in place: referenced, or unreferenced but within the grace period. */
  kept: number;
  /** How many of `kept` are unreferenced but were spared by `graceMs`. */
  recent: number;
  /** Stale temp files removed (or that would be). */
  tempFiles: string[];
}

/**
 * Removes blobs nothing references, and temp files crashed writes left, for `mlcycle cache gc`.
 * @example
 * const report = gcBlobs(blobs, store.referencedDigests(), { dryRun: false, graceMs: 3_600_000 });
 * console.error(`freed ${report.freedBytes} bytes in ${report.removed.length} blobs`);
 */
export function gcBlobs(blobs: BlobStore, referenced: Set<string>, options: GcBlobsOptions): GcBlobsReport {
  const now = options.now ?? Date.now();
  const graceMs = options.graceMs ?? 0;
  const tempMaxAgeMs = options.tempMaxAgeMs ?? HOUR_MS;
  const report: GcBlobsReport = { removed: [], freedBytes: 0, kept: 0, recent: 0, tempFiles: [] };

  for (const digest of blobs.list()) {
    if (referenced.has(digest)) {
      report.kept++;
      continue;
    }
    const stat = statSync(blobs.path(digest), { throwIfNoEntry: false });
    if (!stat) continue; // removed by someone else meanwhile
    if (now - stat.mtimeMs < graceMs) {
      report.kept++;
      report.recent++;
      continue;
    }
    if (!options.dryRun) blobs.remove(digest);
    report.removed.push(digest);
    report.freedBytes += stat.size;
  }

  for (const temp of listTempFiles(blobs.root)) {
    if (now - temp.mtimeMs < tempMaxAgeMs) continue; // likely a write in flight
    if (!options.dryRun) unlinkQuietly(temp.path);
    report.tempFiles.push(temp.path);
    report.freedBytes += temp.bytes;
  }
  return report;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
