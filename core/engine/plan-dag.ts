import type { BuiltDag, NodeInput } from '../dag/types.ts';
import { taskCodeDigest } from '../plan/code-digest.ts';
import { nodeKey, prefixed } from '../plan/cache-key.ts';
import type { OutputDigest } from '../scheduler/events.ts';
import { explainChange, type StoredMaterial } from './explain-change.ts';
import { externalEffectGone } from './external-effect.ts';
import { nodeInputs } from './node-inputs.ts';
import { nodeSeed } from './node-runner.ts';
import type { PlanEntry } from './types.ts';
import { openWorkspace } from './workspace.ts';

/**
 * Says, without running anything, which nodes a run would serve from the cache and why the others
 * would run. A node below one that must run cannot know its inputs yet (content keys cut off early
 * when a recomputed output is identical), so it is `stale` with the upstream node named.
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
      const previous = ws.store.lastEntryForNode(dag.name, id);
      const prevMaterial = previous ? (JSON.parse(previous.material) as StoredMaterial) : undefined;
      const base = { id, task: node.task.name };
      if (pending.length) {
        let code;
        try {
          code = taskCodeDigest(node.task);
        } catch (err) {
          entries.push({ ...base, key: null, state: 'new', reasons: [(err as Error).message] });
          continue;
        }
        const reasons = prevMaterial
          ? explainChange(prevMaterial, { material: { ...prevMaterial.material, task: node.task.name, version: node.task.version, codeDigest: code.digest, params: node.params, seed, inputs: undefined }, codeFiles: { ...code.files, ...prefixed(code.packages) } }, { cwd: dag.cwd, moduleUrl: node.task.ref.moduleUrl })
          : [];
        const ups = [...new Set(pending)];
        reasons.push(`upstream ${ups.map((u) => `'${u}'`).join(', ')} will run first`);
        entries.push({ ...base, key: null, state: prevMaterial ? 'stale' : 'new', reasons });
        continue;
      }
      const inputs = nodeInputs(node, (id) => known.get(id)!);
      let key: string;
      let current;
      try {
        current = nodeKey(node, inputs, { cwd: dag.cwd, seed });
        key = current.key;
      } catch (err) {
        entries.push({ ...base, key: null, state: 'new', reasons: [(err as Error).message] });
        continue;
      }
      if (node.task.cache === false) {
        entries.push({ ...base, key, state: 'new', reasons: ['always runs (cache: false)'] });
        continue;
      }
      const entry = ws.store.getCacheEntry(key);
      if (entry && Object.values(entry.outputs).every((o) => ws.blobs.has(o.digest))) {
        known.set(id, entry.outputs);
        const gone = externalEffectGone(node, entry.outputs, ws.blobs);
        entries.push(gone ? { ...base, key, state: 'stale', reasons: [`cached, but ${gone}`] } : { ...base, key, state: 'cached', reasons: [] });
        continue;
      }
      if (entry) {
        entries.push({ ...base, key, state: 'stale', reasons: ['a cached output is missing from the blob store'] });
      } else if (prevMaterial) {
        const reasons = explainChange(prevMaterial, current, { cwd: dag.cwd, moduleUrl: node.task.ref.moduleUrl });
        entries.push({ ...base, key, state: 'stale', reasons: reasons.length ? reasons : ['no cached result for this key'] });
      } else {
        entries.push({ ...base, key, state: 'new', reasons: ['never run before'] });
      }
    }
    return entries;
  } finally {
    ws.close();
  }
}
