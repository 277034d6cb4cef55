import type { ColumnTable } from 'arquero';
import { DataError, type AnyTask, type TaskContext } from '../../core/index.ts';
import type { ModelSpec, ProblemSpec } from '../kinds.ts';
import { decisionTree } from './decision-tree.ts';
import { knn } from './knn.ts';
import { linearRegression } from './linear-regression.ts';
import { logisticRegression } from './logistic-regression.ts';
import { mlp } from './mlp.ts';
import { naiveBayes } from './naive-bayes.ts';
import { randomForest } from './random-forest.ts';

/**
 * The training tasks by the short names DAGs pick them with.
 * @example
 * const task = algorithms[b.param('algorithm', …)]; // dags/tabular.ts
 */
export const algorithms = {
  logreg: logisticRegression,
  linear: linearRegression,
  mlp,
  forest: randomForest,
  tree: decisionTree,
  knn,
  bayes: naiveBayes,
} as const;

/** A short algorithm name: `logreg | linear | mlp | forest | tree | knn | bayes`. */
export type AlgorithmName = keyof typeof algorithms;

/** The short names, for param schemas (`Type.Enum(algorithmNames)`). */
export const algorithmNames = Object.keys(algorithms) as AlgorithmName[];

/**
 * Looks up a training task by short name; an unknown name fails listing the known ones.
 * @example
 * const task = algorithmTask('forest'); // algorithms/random-forest
 */
export function algorithmTask(name: string): AnyTask {
  const task = (algorithms as Record<string, AnyTask>)[name];
  if (!task) throw new DataError(`unknown algorithm '${name}': pick one of ${algorithmNames.join(', ')}`);
  return task;
}

/**
 * Trains the named algorithm in the calling thread: params validated with defaults filled, as the
 * engine would. For tasks that choose the algorithm at run time (a sweep, auto-ML).
 * @example
 * const model = await trainAlgorithm('knn', train, problem, { k: 7 }, ctx);
 */
export async function trainAlgorithm(
  name: string, train: ColumnTable, problem: ProblemSpec, params: Record<string, unknown>, ctx: TaskContext,
): Promise<ModelSpec> {
  const task = algorithmTask(name);
  const { value, errors } = task.validateParams(params);
  if (errors.length) throw new DataError(`${task.name}: ${errors.join('; ')}`);
  const out = await task.run({ train, problem }, value, ctx);
  return out.model as ModelSpec;
}
