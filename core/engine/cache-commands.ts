import { gcBlobs, verifyBlobs } from '../artifacts/cache-maintenance.ts';
import type { Workspace } from './workspace.ts';

/**
 * Re-hashes every blob; reports (and with `quarantine`, moves aside) missing and corrupt ones. Cache
 * entries pointing at a bad blob need no repair here: the next run sees the bad blob and recomputes.
 * @example
 * const report = verifyCache(openWorkspace(), { quarantine: true });
 */
export function verifyCache(ws: Workspace, options: { quarantine: boolean; onProgress?: (done: number, total: number) => void }) {
  // Digests the store references but the blob store lacks are reported as missing.
  return verifyBlobs(ws.blobs, { ...options, expected: ws.store.referencedDigests() });
}

/**
 * Removes blobs that no run's lineage and no cache entry references.
 * @example
 * gcCache(openWorkspace(), { dryRun: true }).removed.length;
 */
export function gcCache(ws: Workspace, options: { dryRun: boolean; graceMs?: number }) {
  // The grace period spares blobs a run in another process has written but not yet recorded.
  return gcBlobs(ws.blobs, ws.store.referencedDigests(), { graceMs: 10 * 60_000, ...options });
}
