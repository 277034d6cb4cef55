import type { ColumnTable } from 'arquero';
import { DataError, type TaskContext } from '../../core/index.ts';
import type { ModelSpec, ProblemSpec } from '../kinds.ts';
import type { Dense } from './_dense.ts';
import { classIndices, featureDense, featureNames, targetValues } from './_features.ts';

/** Training rows as the solvers take them: a Dense feature matrix and a class index or value per row. */
export interface TrainingData {
  features: string[];
  x: Dense;
  y: Float64Array;
  /** Number of classes; 0 for regression. */
  classes: number;
}

/**
 * Reads and checks a training table: at least 2 rows, numeric finite features, and a target that is a
 * class of `problem.classes` (classification) or a finite number (regression).
 * @example
 * const { features, x, y, classes } = trainingData(train, problem, 'knn');
 */
export function trainingData(train: ColumnTable, problem: ProblemSpec, algorithm: string): TrainingData {
  if (train.numRows() < 2) throw new DataError(`${algorithm}: the training table needs at least 2 rows, got ${train.numRows()}`);
  const features = featureNames(train, problem);
  const x = featureDense(train, features);
  const regression = problem.task === 'regression';
  const y = Float64Array.from(regression ? targetValues(train, problem) : classIndices(train, problem));
  return { features, x, y, classes: regression ? 0 : problem.classes!.length };
}

/**
 * Wraps an algorithm's fitted state into a ModelSpec. The state is plain JSON plus typed arrays
 * (the Model artifact stores those as raw bytes), never live library objects.
 * @example
 * return { model: modelSpec('knn', problem, features, state, { k: 5 }, ctx) };
 */
export function modelSpec(
  algorithm: string, problem: ProblemSpec, features: string[], state: unknown, info: Record<string, unknown>, ctx: TaskContext,
): ModelSpec {
  const library = (info.library as string | undefined) ?? 'mlcycle';
  ctx.log.info(`${algorithm}: trained on ${features.length} feature(s) with ${library}`);
  return {
    algorithm,
    task: problem.task,
    target: problem.target,
    features,
    classes: problem.classes,
    classical: state,
    info: { library, ...info },
  };
}

