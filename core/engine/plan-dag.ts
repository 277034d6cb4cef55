import type { BuiltDag, DagNode, NodeInput } from '../dag/types.ts';
import { keyMaterial, nodeKey, type PartialKeyMaterial } from '../plan/cache-key.ts';
import type { OutputDigest } from '../run/events.ts';
import { closestEntry } from './closest-entry.ts';
import { externalEffectGone } from './external-effect.ts';
import { nodeInputs } from './node-inputs.ts';
import { nodeSeed } from './node-runner.ts';
import type { PlanEntry } from './types.ts';
import { openWorkspace, type Workspace } from './workspace.ts';

/**
 * Says, without running anything, which nodes a run would serve from the cache and why the others
 * would run. A node below one that must run cannot know its inputs yet (content keys cut off early
 * when a recomputed output is identical), so it is `stale` with the upstream node named. A node that
 * must run is explained against its closest earlier cache entry (fewest differences, then newest),
 * not merely the last: in a study the last is the previous trial, which differs in every param.
 * @example
 * for (const e of planDag(myDag.build({ params: { lr: 0.1 } }))) console.log(e.id, e.state, e.reasons);
 */
export function planDag(dag: BuiltDag, options: { home?: string; seed?: number } = {}): PlanEntry[] {
  const ws = openWorkspace({ home: options.home });
  try {
    const known = new Map<string, Record<string, OutputDigest>>();
    const entries: PlanEntry[] = [];
    for (const id of dag.order) {
      const node = dag.nodes.get(id)!;
      const seed = nodeSeed(options.seed ?? 0, id);
      const pending = Object.values(node.inputs).flat().map((r: NodeInput) => r.node).filter((n) => !known.has(n));
      const base = { id, task: node.task.name };
      if (pending.length) {
        let current;
        try {
          current = keyMaterial(node, undefined, { cwd: dag.cwd, seed });
        } catch (err) {
          entries.push({ ...base, key: null, state: 'new', reasons: [(err as Error).message] });
          continue;
        }
        const closest = explainAgainstClosest(ws, dag, node, current);
        const reasons = closest ? closest.reasons : [];
        const ups = [...new Set(pending)];
        reasons.push(`upstream ${ups.map((u) => `'${u}'`).join(', ')} will run first`);
        entries.push({ ...base, key: null, state: closest ? 'stale' : 'new', reasons });
        continue;
      }
      const inputs = nodeInputs(node, (id) => known.get(id)!);
      let current;
      try {
        current = nodeKey(node, inputs, { cwd: dag.cwd, seed });
      } catch (err) {
        entries.push({ ...base, key: null, state: 'new', reasons: [(err as Error).message] });
        continue;
      }
      const { key } = current;
      if (node.task.cache === false) {
        entries.push({ ...base, key, state: 'new', reasons: ['always runs (cache: false)'] });
        continue;
      }
      // The entry for this very key first: then the node is cached, whatever ran since.
      const entry = ws.store.getCacheEntry(key);
      if (entry && Object.values(entry.outputs).every((o) => ws.blobs.has(o.digest))) {
        known.set(id, entry.outputs);
        const gone = externalEffectGone(node, entry.outputs, ws.blobs);
        entries.push(gone ? { ...base, key, state: 'stale', reasons: [`cached, but ${gone}`] } : { ...base, key, state: 'cached', reasons: [] });
        continue;
      }
      if (entry) {
        entries.push({ ...base, key, state: 'stale', reasons: ['a cached output is missing from the blob store'] });
        continue;
      }
      const closest = explainAgainstClosest(ws, dag, node, current);
      if (closest) entries.push({ ...base, key, state: 'stale', reasons: closest.reasons.length ? closest.reasons : ['no cached result for this key'] });
      else entries.push({ ...base, key, state: 'new', reasons: ['never run before'] });
    }
    return entries;
  } finally {
    ws.close();
  }
}

// Read only for nodes that must run: a fully cached plan never touches the node's history.
function explainAgainstClosest(ws: Workspace, dag: BuiltDag, node: DagNode, current: Pick<PartialKeyMaterial, 'material' | 'codeFiles'> & { unreadFiles?: string[] }) {
  return closestEntry(ws.store.entriesForNode(dag.name, node.id), current, { cwd: dag.cwd, moduleUrl: node.task.ref.moduleUrl });
}
