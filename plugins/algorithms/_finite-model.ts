/**
 * The check every trained model passes before it is stored (DESIGN §10: numbers from models are
 * finite or refused). A diverged fit (a learning rate of 1e20) yields NaN weights that predict NaN,
 * and a cached NaN model poisons every run after it: the evaluator's ROC loop, the report, a bundle.
 */
import { table as columnTable, type ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';
import type { ModelSpec } from '../kinds.ts';
import type { Dense } from './_dense.ts';
import { featureDense } from './_features.ts';
import type { Prediction } from './define-algorithm.ts';

/** Training rows predicted to check a fit: enough to catch a diverged model, cheap next to training. */
export const FINITE_CHECK_ROWS = 256;

const HINT = 'the fit diverged or overflowed: scale the features (transformers/auto-preprocess), lower the learning rate, or regularise more (a larger alpha or penalty)';

/**
 * Fails with a DataError when a trained model holds a non-finite number in its fitted state
 * (weights, thresholds, statistics) or predicts a non-finite value or probability on up to
 * FINITE_CHECK_ROWS evenly spaced training rows.
 * @example
 * await checkTrainedModel({ name: 'mlp', predict }, model, train, { signal: ctx.signal });
 */
export async function checkTrainedModel(
  algorithm: { name: string; predict(model: ModelSpec, x: Dense, options: { signal?: AbortSignal }): Prediction | Promise<Prediction> },
  model: ModelSpec,
  train: ColumnTable,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const where = firstNonFinite(model.classical, 'model');
  if (where) throw new DataError(`${algorithm.name}: the trained model holds ${where.value} at ${where.path}; ${HINT}`);
  if (model.tfjs) return; // Legacy tfjs weights are not produced by training any more.
  const x = featureDense(sampleRows(train, model.features, FINITE_CHECK_ROWS), model.features);
  if (x.rows === 0) return;
  const out = await algorithm.predict(model, x, options);
  const values = model.task === 'regression' ? out.values : out.probs?.data;
  const what = model.task === 'regression' ? 'value' : 'probability';
  if (!values) throw new DataError(`${algorithm.name}: the trained model returned no ${what === 'value' ? 'values' : 'probabilities'} on its training rows`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const row = model.task === 'regression' ? i : Math.floor(i / (out.probs?.cols || 1));
      throw new DataError(`${algorithm.name}: the trained model predicts ${values[i]} (a non-finite ${what}) on training row ${row} of the ${x.rows} checked; ${HINT}`);
    }
  }
}

/** The first non-finite number in a fitted state (plain JSON plus typed arrays), with its path. */
function firstNonFinite(state: unknown, root: string): { path: string; value: number } | undefined {
  const seen = new Set<object>();
  // An explicit stack: a deep tree model must not overflow the call stack.
  const stack: Array<[unknown, string]> = [[state, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path, value: v };
      continue;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Float64Array || v instanceof Float32Array) {
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return { path: `${path}[${i}]`, value: v[i]! };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (!ArrayBuffer.isView(v)) {
      // Integer typed arrays cannot hold a non-finite value: only plain objects are walked.
      for (const key of Object.keys(v).reverse()) stack.push([(v as Record<string, unknown>)[key], `${path}.${key}`]);
    }
  }
  return undefined;
}

/**
 * At most `max` rows of the feature columns, evenly spaced so a sorted table is sampled across its
 * range; picked before conversion, so a 1M-row table costs `max` rows, not a full copy.
 */
function sampleRows(train: ColumnTable, features: string[], max: number): ColumnTable {
  const n = train.numRows();
  if (n <= max) return train;
  const rows = Array.from({ length: max }, (_, k) => Math.floor((k * n) / max));
  const names = new Set(train.columnNames());
  // A missing column is left out here so featureDense reports it with its usual message.
  const present = features.filter((f) => names.has(f));
  // getter reads the picked rows only (visible rows of a filtered table too); array() would copy
  // every value of every feature to use 256 of them.
  return columnTable(Object.fromEntries(present.map((f) => {
    const get = train.getter(f);
    return [f, rows.map((i) => get(i))];
  }))) as ColumnTable;
}
