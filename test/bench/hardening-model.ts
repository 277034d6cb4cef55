/**
 * Part 1 of the hardening benchmark: the finite-model check (plugins/algorithms/_finite-model.ts)
 * that runs after every training, timed against the fit it follows. The fit is the algorithm task's
 * own `run` (the exported task object, which is the unchecked one: define-algorithm.ts registers a
 * checked copy with the engine), with default params, on a seeded 20,000-row table made in
 * TypeScript (mlp-data.ts): classification for the classifiers, regression for `linear`.
 */
import { table as columnTable, type ColumnTable } from 'arquero';
import { checkTrainedModel } from '../../plugins/algorithms/_finite-model.ts';
import type { Algorithm } from '../../plugins/algorithms/define-algorithm.ts';
import { algorithms, type AlgorithmName } from '../../plugins/algorithms/registry.ts';
import type { ModelSpec, ProblemSpec } from '../../plugins/kinds.ts';
import { makeContext } from '../helpers/task-context.ts';
import { benchTable } from './mlp-data.ts';
import { row, timed, type HardeningRow } from './hardening-timing.ts';

const CLASSES = ['c0', 'c1', 'c2'];
const FEATURES = 20;

/** Fits whose whole work is storing or counting the rows: the check is reported in ms, not held to a share. */
const TRIVIAL_FITS = new Set<AlgorithmName>(['knn', 'bayes']);

/** The two tables, 20 standardised features each, and their problems. */
function tables(rows: number): Record<'classification' | 'regression', { train: ColumnTable; problem: ProblemSpec }> {
  const t = benchTable({ rows, features: FEATURES, classes: CLASSES.length, seed: 7 });
  const cols: Record<string, Float64Array | string[]> = {};
  for (let j = 0; j < FEATURES; j++) cols[`f${j}`] = Float64Array.from({ length: rows }, (_, i) => t.x.data[i * FEATURES + j]!);
  return {
    classification: {
      train: columnTable({ ...cols, y: Array.from(t.y, (k) => CLASSES[k]!) }) as ColumnTable,
      problem: { target: 'y', task: 'multiclass', metric: 'accuracy', classes: CLASSES },
    },
    regression: {
      train: columnTable({ ...cols, r: t.r }) as ColumnTable,
      problem: { target: 'r', task: 'regression', metric: 'r2' },
    },
  };
}

/**
 * One row per algorithm: best check time / best fit time over `fitReps` fits (each fit followed by
 * its check, timed `checkReps` times since the check is short and cheap to repeat).
 * @example
 * const rows = await finiteModelRows({ rows: 20_000, fitReps: 2, checkReps: 5 });
 */
export async function finiteModelRows(o: {
  rows: number; fitReps: number; checkReps: number; only?: string[];
  /** The check timed (default checkTrainedModel): lets a proposed variant be measured the same way. */
  check?: typeof checkTrainedModel;
}): Promise<HardeningRow[]> {
  const check = o.check ?? checkTrainedModel;
  const data = tables(o.rows);
  const out: HardeningRow[] = [];
  for (const [name, a] of Object.entries(algorithms) as Array<[AlgorithmName, Algorithm]>) {
    if (o.only && !o.only.includes(name)) continue;
    const { train, problem } = name === 'linear' ? data.regression : data.classification;
    const { value, errors } = a.task.validateParams({});
    if (errors.length) throw new Error(`${name}: ${errors.join('; ')}`);
    let [fitMs, checkMs] = [Infinity, Infinity];
    for (let rep = 0; rep < o.fitReps; rep++) {
      let model: ModelSpec | undefined;
      fitMs = Math.min(fitMs, await timed(async () => {
        model = ((await a.task.run({ train, problem }, value, makeContext())) as { model: ModelSpec }).model;
      }));
      for (let c = 0; c < o.checkReps; c++) {
        checkMs = Math.min(checkMs, await timed(() => check(a, model!, train, {})));
      }
    }
    const trivial = TRIVIAL_FITS.has(name);
    out.push(row({
      check: 'finite model',
      case: `${name}, ${o.rows / 1000}k × ${FEATURES} ${name === 'linear' ? 'regression' : '3 classes'}`,
      against: 'fit',
      unit: 'ms',
      share: true,
      note: trivial ? `${name}: the check takes ${checkMs.toFixed(2)} ms, the fit ${fitMs.toFixed(2)} ms (its fit only ${name === 'knn' ? 'stores the rows' : 'counts'}).` : undefined,
    }, { checkedMs: checkMs, uncheckedMs: fitMs }, trivial ? undefined : 0.05));
  }
  return out;
}
