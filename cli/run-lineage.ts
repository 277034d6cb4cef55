import type { Workspace } from './workspace.ts';

/** What the run store adds to a registered version's lineage: code and data, node by node. */
export interface RunLineage {
  /** The run's nodes: task, cache key and the digest of the task's code (its file and local imports). */
  nodes: Record<string, { task: string; key: string | null; codeDigest: string | null }>;
  /** Every declared data file the run's nodes read, resolved path → sha256 of its bytes. */
  dataFiles: Record<string, string>;
}

/** A bundle a run exported: its folder and the manifest digest the exporter recorded. */
export interface RunBundle {
  runId: string;
  node: string;
  dir: string;
  manifestSha256: string;
}

/**
 * The code digests and data-file digests of a run, from its nodes' cache entries (whose key material
 * records them); undefined when this workspace has no such run (a bundle made elsewhere).
 * @example
 * const extra = runLineage(ws, manifest.lineage.runId); // { nodes: { load: { codeDigest: 'ab…' } }, dataFiles: { '/d/p.json': 'cd…' } }
 */
export function runLineage(ws: Workspace, runId: string): RunLineage | undefined {
  if (!ws.store.getRun(runId)) return undefined;
  const lineage: RunLineage = { nodes: {}, dataFiles: {} };
  for (const n of ws.store.nodeRuns(runId)) {
    const material = n.key ? materialOf(ws.store.getCacheEntry(n.key)?.material) : undefined;
    lineage.nodes[n.node] = { task: n.task, key: n.key, codeDigest: typeof material?.codeDigest === 'string' ? material.codeDigest : null };
    const files = material?.files;
    if (files && typeof files === 'object') {
      for (const [file, digest] of Object.entries(files)) if (typeof digest === 'string') lineage.dataFiles[file] = digest;
    }
  }
  return lineage;
}

/**
 * The bundle a run's exporters/bundle node wrote (`node` picks one when the run exported several).
 * Throws an Error with the message to show when there is none, or several and no `node`.
 * @example
 * const b = runBundle(ws, readArtifact, runId); // { dir: '/p/bundles/penguins', manifestSha256: '…', node: 'export' }
 */
export function runBundle(ws: Workspace, read: (digest: string) => unknown, runId: string, node?: string): RunBundle {
  const exports = ws.store.nodeRuns(runId).filter((n) => n.task === 'exporters/bundle' && n.status === 'succeeded' && n.outputs.bundle);
  const chosen = node === undefined ? exports : exports.filter((n) => n.node === node);
  if (chosen.length !== 1) {
    const names = exports.map((n) => n.node).join(', ');
    throw new Error(!exports.length
      ? `run ${runId} exported no bundle (no succeeded exporters/bundle node); register a bundle folder instead`
      : node !== undefined ? `run ${runId} has no exporters/bundle node '${node}' (it has: ${names})`
      : `run ${runId} exported ${exports.length} bundles (${names}); choose one with --node <id>`);
  }
  const made = read(chosen[0]!.outputs.bundle!.digest) as { path?: unknown; manifestSha256?: unknown };
  if (typeof made?.path !== 'string' || typeof made.manifestSha256 !== 'string') throw new Error(`run ${runId}: node '${chosen[0]!.node}' recorded no bundle folder`);
  return { runId, node: chosen[0]!.node, dir: made.path, manifestSha256: made.manifestSha256 };
}

function materialOf(json: string | undefined): { codeDigest?: unknown; files?: Record<string, unknown> } | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as { material?: { codeDigest?: unknown; files?: Record<string, unknown> } };
    return parsed.material;
  } catch {
    return undefined;
  }
}
