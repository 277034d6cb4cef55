import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBlobStore, type BlobStore } from '../artifacts/blob-store.ts';
import { kindByName } from '../artifacts/kind.ts';
import { ValidationError } from '../errors.ts';
import { resolveHome } from './resolve-home.ts';
import { openRunStore } from '../store/sqlite-store.ts';
import type { RunStore } from '../store/types.ts';

export { resolveHome };

/** The workspace folder: `mlcycle.db` (run store) and `objects/` (blobs). */
export interface Workspace {
  home: string;
  store: RunStore;
  blobs: BlobStore;
  close(): void;
}

/**
 * Opens (creating if needed) a workspace. `readOnly` as in openRunStore: `'auto'` (default) opens a
 * store that cannot be written for reading only; `false` (what a run asks) refuses it with a
 * ValidationError saying the store is read-only; `true` never writes, and never creates anything.
 * @example
 * const ws = openWorkspace({ home: '/tmp/ml' }); ws.store.listRuns(); ws.close();
 */
export function openWorkspace(options: { home?: string; readOnly?: boolean | 'auto' } = {}): Workspace {
  // resolveHome refuses a file in the home's place, naming where the path came from.
  const home = resolveHome({ home: options.home });
  const readOnly = options.readOnly ?? 'auto';
  ensureHomeFolder(home, readOnly !== true);
  const store = openRunStore(join(home, 'mlcycle.db'), { readOnly });
  const blobs = openBlobStore(join(home, 'objects'));
  return { home, store, blobs, close: () => store.close() };
}

/** Creates the home folder, saying plainly when the file system refuses (not a raw EROFS or EACCES). */
function ensureHomeFolder(home: string, create: boolean): void {
  if (!create) return;
  try {
    mkdirSync(home, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
      throw new ValidationError(
        `workspace home ${home} cannot be created (${code === 'EROFS' ? 'read-only file system' : 'permission denied'}): ` +
          'point --home (or MLCYCLE_HOME) at a writable folder',
        { cause: err },
      );
    }
    throw err;
  }
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
