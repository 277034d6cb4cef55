import type { ColumnTable } from 'arquero';
import { DataError, type TaskContext } from '../../core/index.ts';
import type { ModelSpec, ProblemSpec } from '../kinds.ts';
import { classIndices, featureMatrix, featureNames, targetValues, type Matrix } from './_features.ts';

/** Training rows for a classical model: labels are class indices (ml.js wants 0..k-1) or numbers. */
export interface ClassicalData {
  features: string[];
  x: Matrix;
  y: number[];
}

/**
 * Reads and checks the training table for an ml.js model.
 * @example
 * const { features, x, y } = classicalData(train, problem, 'decision-tree');
 */
export function classicalData(train: ColumnTable, problem: ProblemSpec, algorithm: string): ClassicalData {
  if (train.numRows() < 2) throw new DataError(`${algorithm}: the training table needs at least 2 rows, got ${train.numRows()}`);
  const features = featureNames(train, problem);
  const x = featureMatrix(train, features);
  const y = problem.task === 'regression' ? targetValues(train, problem) : classIndices(train, problem);
  return { features, x, y };
}

/**
 * Wraps a classical model's JSON (an ml.js `toJSON()`, or mlcycle's own trees with
 * `info.library: 'mlcycle'`) into a ModelSpec. The JSON is normalised through
 * stringify/parse: ml.js returns live objects (tree nodes, matrices) that must not leak into an
 * artifact that other tasks read in-process, and in-process and decoded specs must agree.
 * @example
 * return { model: classicalSpec('knn', problem, features, knn.toJSON(), { k: 5 }, ctx) };
 */
export function classicalSpec(
  algorithm: string, problem: ProblemSpec, features: string[], json: unknown, info: Record<string, unknown>, ctx: TaskContext,
): ModelSpec {
  const library = (info.library as string | undefined) ?? 'ml.js';
  ctx.log.info(`${algorithm}: trained on ${features.length} feature(s) with ${library}`);
  return {
    algorithm,
    task: problem.task,
    target: problem.target,
    features,
    classes: problem.classes,
    classical: JSON.parse(JSON.stringify(json)),
    info: { library, ...info },
  };
}
