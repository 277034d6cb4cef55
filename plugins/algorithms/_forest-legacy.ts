/**
 * Models saved before the flat forest format (`format: 'mlcycle-cart'`, one object of number arrays
 * per tree) still predict: they are converted to a ForestModel on load.
 */
import type { ForestModel } from './_forest.ts';

/** The older per-node tree: leaves hold `value[i]` (class shares or `[mean]`), splits `[]`. */
export interface LegacyCartForest {
  format: 'mlcycle-cart';
  trees: Array<{ feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[][] }>;
}

/**
 * The same trees as flat arrays; split nodes get zero values (prediction reads leaves only).
 * @example
 * if (json.format === 'mlcycle-cart') json = forestFromLegacy(json);
 */
export function forestFromLegacy(old: LegacyCartForest): ForestModel {
  const outputs = Math.max(1, ...old.trees.flatMap((t) => t.value.map((v) => v.length)));
  const treeStart = new Int32Array(old.trees.length + 1);
  old.trees.forEach((t, i) => (treeStart[i + 1] = treeStart[i] + t.feature.length));
  const nodes = treeStart[old.trees.length];
  const m: ForestModel = {
    format: 'mlcycle-forest', outputs, treeStart,
    feature: new Int32Array(nodes), threshold: new Float64Array(nodes),
    left: new Int32Array(nodes), right: new Int32Array(nodes), value: new Float64Array(nodes * outputs),
  };
  old.trees.forEach((t, i) => {
    const at = treeStart[i];
    for (let j = 0; j < t.feature.length; j++) {
      m.feature[at + j] = t.feature[j];
      m.threshold[at + j] = t.threshold[j];
      m.left[at + j] = t.left[j] < 0 ? -1 : t.left[j] + at;
      m.right[at + j] = t.right[j] < 0 ? -1 : t.right[j] + at;
      m.value.set(t.value[j] ?? [], (at + j) * outputs);
    }
  });
  return m;
}
