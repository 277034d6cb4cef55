/**
 * Parameter importances with Optuna 3.1's default evaluator, fANOVA (optuna/importance/_fanova): a
 * regression forest of 64 bootstrapped trees (max depth 64, every feature at every split, as
 * scikit-learn's RandomForestRegressor defaults) fitted on the complete trials, then, per tree, the
 * share of the tree's variance explained by each param's marginal, averaged over trees and
 * normalised to sum 1. Like Optuna: only params present in every complete trial are assessed
 * (conditional ones are listed as skipped), params with a single possible value get 0, numeric
 * params are used on their raw scale (no log transform), categorical ones one-hot encoded.
 */
import { cartData, dense, growForestTree, presort } from '../../plugins/algorithms/cart-trees.ts';
import { flattenSpace } from '../../core/sweep/space-walk.ts';
import type { ChoiceValue, Distribution, Space } from '../../core/sweep/space.ts';
import { FanovaTree } from './_fanova-tree.ts';
import { scoredTrials, type ReportTrial } from './summary.ts';
import { sameChoice } from '../../core/sweep/distribution.ts';

export interface ParamImportance {
  name: string;
  /** Share of the explained variance, in [0, 1]; the list sums to 1. */
  importance: number;
}

export type ImportanceResult =
  | {
      ok: true;
      evaluator: 'fanova';
      /** Most important first. */
      importances: ParamImportance[];
      /** Params left out because some complete trial does not have them (conditional params). */
      skipped: string[];
      /** Complete trials the forest was fitted on. */
      trials: number;
    }
  | { ok: false; reason: string };

export interface ImportanceOptions {
  /** Forest seed (default 0). */
  seed?: number;
  /** Trees in the forest (default 64, Optuna's). */
  nTrees?: number;
  /** Depth limit of each tree (default 64, Optuna's). */
  maxDepth?: number;
}

/** One assessed param: its columns in the encoded matrix and how a value becomes them. */
interface Encoded {
  name: string;
  columns: number[];
  bounds: Array<[number, number]>;
  /** Writes the value's encoding at `row`; false when the space cannot produce the value. */
  encode: (value: ChoiceValue, row: Float64Array, at: number) => boolean;
}

/**
 * fANOVA importances of a study's params over its complete trials; `ok: false` with the reason when
 * they cannot be assessed (fewer than 2 complete trials, nothing varies, a constant objective).
 * @example
 * const r = paramImportances({ x: float(-5, 5), y: float(-5, 5) }, trials);
 * if (r.ok) r.importances // [{ name: 'x', importance: 0.95 }, { name: 'y', importance: 0.05 }]
 */
export function paramImportances(space: Space, trials: readonly ReportTrial[], options: ImportanceOptions = {}): ImportanceResult {
  const { seed = 0, nTrees = 64, maxDepth = 64 } = options;
  const complete = scoredTrials(trials);
  if (complete.length < 2) return { ok: false, reason: `needs at least 2 complete trials, the study has ${complete.length}` };
  const all = flattenSpace(space);
  const inEvery = all.filter((p) => complete.every((t) => Object.hasOwn(t.params, p.name)));
  const skipped = all.filter((p) => !inEvery.includes(p) && complete.some((t) => Object.hasOwn(t.params, p.name))).map((p) => p.name);
  // Optuna orders the intersection space by name; the forest's randomness follows the column order.
  const assessed = inEvery.map((p) => ({ name: p.name, d: p.distribution })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const single = assessed.filter((p) => isSingle(p.d)).map((p) => p.name);
  const encoded: Encoded[] = [];
  let cols = 0;
  for (const p of assessed) {
    if (isSingle(p.d)) continue;
    const e = encoder(p.name, p.d, cols);
    encoded.push(e);
    cols += e.columns.length;
  }
  if (!encoded.length) return { ok: false, reason: 'no param present in every complete trial takes more than one value' };

  const rows: Float64Array[] = [];
  const y: number[] = [];
  for (const t of complete) {
    const row = new Float64Array(cols);
    if (encoded.every((e) => e.encode(t.params[e.name] ?? null, row, e.columns[0]!))) {
      rows.push(row);
      y.push(t.value);
    }
  }
  if (rows.length < 2) return { ok: false, reason: 'fewer than 2 complete trials have values inside the search space' };

  const x = dense(rows.length, cols);
  rows.forEach((r, i) => x.data.set(r, i * cols));
  const data = cartData(x, Float64Array.from(y), 0);
  data.order = presort(data);
  const bounds = encoded.flatMap((e) => e.bounds);
  const trees: FanovaTree[] = [];
  for (let t = 0; t < nTrees; t++) {
    const tree = growForestTree(data, t, { maxFeatures: cols, maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1, bootstrap: true, seed });
    trees.push(new FanovaTree(tree, bounds));
  }
  const useful = trees.filter((t) => t.variance > 0);
  if (!useful.length) return { ok: false, reason: 'the objective does not vary across the complete trials' };

  const raw = encoded.map((e) => useful.reduce((s, t) => s + t.marginalVariance(e.columns) / t.variance, 0) / useful.length);
  const total = raw.reduce((s, v) => s + v, 0);
  // Optuna shares equally when nothing explains anything (its normalisation would divide by 0).
  const share = (v: number): number => (total > 0 ? v / total : 1 / raw.length);
  const importances = [
    ...encoded.map((e, i) => ({ name: e.name, importance: share(raw[i]!) })),
    ...single.map((name) => ({ name, importance: 0 })),
  ].sort((a, b) => b.importance - a.importance || (a.name < b.name ? -1 : 1));
  return { ok: true, evaluator: 'fanova', importances, skipped, trials: rows.length };
}

function isSingle(d: Distribution): boolean {
  switch (d.kind) {
    case 'int':
    case 'float':
      return d.low === d.high;
    case 'choice':
      return d.choices.length <= 1;
    case 'branch':
      return Object.keys(d.branches).length <= 1;
  }
}

function encoder(name: string, d: Distribution, first: number): Encoded {
  if (d.kind === 'int' || d.kind === 'float') {
    return {
      name, columns: [first], bounds: [[d.low, d.high]],
      encode: (v, row, at) => {
        if (typeof v !== 'number' || !(v >= d.low && v <= d.high)) return false;
        row[at] = v;
        return true;
      },
    };
  }
  const choices: readonly ChoiceValue[] = d.kind === 'choice' ? d.choices : Object.keys(d.branches);
  return {
    name,
    columns: choices.map((_, i) => first + i),
    bounds: choices.map(() => [0, 1] as [number, number]),
    encode: (v, row, at) => {
      const i = choices.findIndex((c) => sameChoice(c, v));
      if (i < 0) return false;
      row[at + i] = 1;
      return true;
    },
  };
}
