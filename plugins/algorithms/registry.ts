/**
 * Every built-in algorithm by its short name, read from each algorithm's one definition
 * (define-algorithm.ts). Training DAGs pick tasks here; prediction finds the predictor of a model here.
 */
import type { ColumnTable } from 'arquero';
import { DataError, NonRetryableError, type AnyTask, type TaskContext } from '../../core/index.ts';
import type { ModelSpec, ProblemSpec } from '../kinds.ts';
import { checkTrainedModel } from './_finite-model.ts';
import type { Algorithm } from './define-algorithm.ts';
import { decisionTreeAlgorithm } from './decision-tree.ts';
import { knnAlgorithm } from './knn.ts';
import { linearRegressionAlgorithm } from './linear-regression.ts';
import { logisticRegressionAlgorithm } from './logistic-regression.ts';
import { mlpAlgorithm } from './mlp.ts';
import { naiveBayesAlgorithm } from './naive-bayes.ts';
import { randomForestAlgorithm } from './random-forest.ts';

/**
 * The algorithms by short name.
 * @example
 * algorithms.forest.task; // algorithms/random-forest
 */
export const algorithms = {
  logreg: logisticRegressionAlgorithm,
  linear: linearRegressionAlgorithm,
  mlp: mlpAlgorithm,
  forest: randomForestAlgorithm,
  tree: decisionTreeAlgorithm,
  knn: knnAlgorithm,
  bayes: naiveBayesAlgorithm,
} as const;

/** A short algorithm name: `logreg | linear | mlp | forest | tree | knn | bayes`. */
export type AlgorithmName = keyof typeof algorithms;

/** The short names, for param schemas (`Type.Enum(algorithmNames)`). */
export const algorithmNames = Object.keys(algorithms) as AlgorithmName[];

for (const [key, a] of Object.entries(algorithms)) {
  if (a.name !== key) throw new TypeError(`registry: algorithm '${a.name}' is listed as '${key}'`);
}

const byModel = new Map<string, Algorithm>(Object.values(algorithms).map((a) => [a.model, a as Algorithm]));

/**
 * Looks up an algorithm by short name; an unknown name fails listing the known ones.
 * @example
 * algorithmByName('forest').supports; // ['binary', 'multiclass', 'regression']
 */
export function algorithmByName(name: string): Algorithm {
  if (!Object.hasOwn(algorithms, name)) throw new DataError(`unknown algorithm '${name}': pick one of ${algorithmNames.join(', ')}`);
  return algorithms[name as AlgorithmName] as Algorithm;
}

/**
 * The algorithm that trained a model, from `model.algorithm` (e.g. 'random-forest').
 * @example
 * const { probs } = await algorithmForModel(model).predict(model, x);
 */
export function algorithmForModel(model: Pick<ModelSpec, 'algorithm'>): Algorithm {
  const found = byModel.get(model.algorithm);
  if (!found) {
    throw new NonRetryableError(
      `no algorithm predicts models of type '${model.algorithm}' (known: ${[...byModel.keys()].join(', ')}); was it trained by a newer or a custom mlcycle?`,
    );
  }
  return found;
}

/**
 * The training task of a short name.
 * @example
 * const task = algorithmTask('forest'); // algorithms/random-forest
 */
export function algorithmTask(name: string): AnyTask {
  return algorithmByName(name).task;
}

/**
 * Trains the named algorithm in the calling thread: params validated with defaults filled and the
 * model checked for non-finite numbers, as the engine would. For tasks that choose the algorithm at
 * run time (a sweep, auto-ML).
 * @example
 * const model = await trainAlgorithm('knn', train, problem, { k: 7 }, ctx);
 */
export async function trainAlgorithm(
  name: string, train: ColumnTable, problem: ProblemSpec, params: Record<string, unknown>, ctx: TaskContext,
): Promise<ModelSpec> {
  const algorithm = algorithmByName(name);
  const { value, errors } = algorithm.task.validateParams(params);
  if (errors.length) throw new DataError(`${algorithm.task.name}: ${errors.join('; ')}`);
  const out = await algorithm.task.run({ train, problem }, value, ctx);
  await checkTrainedModel(algorithm, out.model as ModelSpec, train, { signal: ctx.signal });
  return out.model as ModelSpec;
}
