import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openBlobStore, type BlobStore } from '../artifacts/blob-store.ts';
import { kindByName } from '../artifacts/kind.ts';
import { ValidationError } from '../errors.ts';
import { openRunStore } from '../store/sqlite-store.ts';
import type { RunStore } from '../store/types.ts';

/** The workspace folder: `mlcycle.db` (run store) and `objects/` (blobs). */
export interface Workspace {
  home: string;
  store: RunStore;
  blobs: BlobStore;
  close(): void;
}

/**
 * `--home`, else `MLCYCLE_HOME`, else `.mlcycle` in the working directory.
 * @example
 * resolveHome(); // '/work/project/.mlcycle'
 */
export function resolveHome(home?: string): string {
  return resolve(home ?? process.env.MLCYCLE_HOME ?? join(process.cwd(), '.mlcycle'));
}

/**
 * Opens (creating if needed) a workspace.
 * @example
 * const ws = openWorkspace({ home: '/tmp/ml' }); ws.store.listRuns(); ws.close();
 */
export function openWorkspace(options: { home?: string } = {}): Workspace {
  const home = resolveHome(options.home);
  mkdirSync(home, { recursive: true });
  const store = openRunStore(join(home, 'mlcycle.db'));
  const blobs = openBlobStore(join(home, 'objects'));
  return { home, store, blobs, close: () => store.close() };
}

/**
 * Reads and decodes a stored artifact by digest and kind name (verifies the digest).
 * @example
 * const metrics = readArtifact(ws, digest, 'Metrics');
 */
export function readArtifact(ws: Workspace, digest: string, kind: string): unknown {
  const codec = kindByName(kind);
  if (!codec) throw new ValidationError(`readArtifact: unknown artifact kind '${kind}' (is the plugin that defines it loaded?)`);
  return codec.decode(ws.blobs.read(digest));
}
