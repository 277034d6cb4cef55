import type { PartialKeyMaterial } from '../plan/cache-key.ts';
import type { CacheEntry } from '../store/types.ts';
import { explainChange, type StoredMaterial } from './explain-change.ts';

/** The earlier cache entry `plan` explains a node against, and what differs from it. */
export interface ClosestEntry {
  entry: CacheEntry;
  reasons: string[];
}

/**
 * Of a node's earlier cache entries (newest first, as RunStore.entriesForNode gives them), the one
 * whose material differs from `current` in the fewest ways, ties going to the newest, with the
 * reasons it differs. A difference is one line of explainChange: one per param name, input port,
 * declared file and environment value, one each for version, code and seed. An entry of another task
 * ranks after every entry of the same task, however few its differences. In a study this is what
 * makes `plan` name the one param a trial changed, not every param the previous trial happened to
 * differ in. Entries whose stored material cannot be read are passed over.
 * @example
 * const closest = closestEntry(ws.store.entriesForNode(dag.name, id), keyMaterial(node, inputs, opts), { cwd, moduleUrl });
 * closest?.reasons; // ['param b changed (1 → 2)']
 */
export function closestEntry(
  entries: CacheEntry[],
  current: Pick<PartialKeyMaterial, 'material' | 'codeFiles'> & { unreadFiles?: string[] },
  opts: { cwd: string; moduleUrl: string },
): ClosestEntry | undefined {
  let best: { entry: CacheEntry; reasons: string[]; rank: [number, number] } | undefined;
  for (const entry of entries) {
    const previous = parseMaterial(entry.material);
    if (!previous) continue;
    const reasons = explainChange(previous, withUnreadFiles(current, previous), opts);
    const rank: [number, number] = [previous.material.task === current.material.task ? 0 : 1, reasons.length];
    // Strictly better only: among equals the first seen, i.e. the newest, stays.
    if (!best || rank[0] < best.rank[0] || (rank[0] === best.rank[0] && rank[1] < best.rank[1])) best = { entry, reasons, rank };
    if (rank[0] === 0 && rank[1] === 0) break;
  }
  return best && { entry: best.entry, reasons: best.reasons };
}

function parseMaterial(json: string): StoredMaterial | undefined {
  try {
    const parsed = JSON.parse(json) as Partial<StoredMaterial> | null;
    const m = parsed?.material;
    if (!m || typeof m !== 'object' || typeof m.task !== 'string' || !m.params || typeof m.params !== 'object') return undefined;
    return { material: m, codeFiles: parsed.codeFiles && typeof parsed.codeFiles === 'object' ? parsed.codeFiles : {} };
  } catch {
    return undefined;
  }
}

// A declared file plan cannot read yet (an upstream node may write it) is taken as the earlier entry
// had it: plan cannot say it changed, and the upstream node running first is reason enough.
function withUnreadFiles(
  current: Pick<PartialKeyMaterial, 'material' | 'codeFiles'> & { unreadFiles?: string[] },
  previous: StoredMaterial,
): Pick<PartialKeyMaterial, 'material' | 'codeFiles'> {
  if (!current.unreadFiles?.length) return current;
  const was = previous.material.files ?? {};
  const taken = current.unreadFiles.filter((f) => Object.hasOwn(was, f)).map((f) => [f, was[f]] as const);
  const files = Object.fromEntries([...Object.entries(current.material.files ?? {}), ...taken]);
  return { material: { ...current.material, files }, codeFiles: current.codeFiles };
}
