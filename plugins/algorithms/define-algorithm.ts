/**
 * One definition per algorithm: its training task, how its models predict, which problems it fits,
 * which params are its main hyperparameters and how it is solved. The registry, prediction
 * (`algorithms/predict`, bundles, `mlcycle predict`), dags/tabular.ts and the plugin catalogue all
 * read it, so adding an algorithm is one file plus one line in the registry's list. Every model an
 * algorithm trains is checked for non-finite numbers before it is stored.
 */
import type { ColumnTable } from 'arquero';
import type { AnyTask, Static, TaskContext } from '../../core/index.ts';
import { registerTask } from '../../core/task/registry.ts';
import type { ModelSpec, ProblemSpec } from '../kinds.ts';
import type { Dense } from './_dense.ts';
import { checkTrainedModel } from './_finite-model.ts';

/** The problem types an algorithm can fit. */
export type ProblemType = ProblemSpec['task'];

/**
 * A model's raw output on n rows: `values` (regression, length n) or `probs` (n × classes, each row
 * summing to 1, columns in `model.classes` order).
 */
export interface Prediction {
  values?: Float64Array;
  probs?: Dense;
}

/** Param names of a task, as its params schema declares them. */
type ParamName<T extends AnyTask> = Extract<keyof Static<T['params']>, string>;

/** What `defineAlgorithm` takes. */
export interface AlgorithmSpec<T extends AnyTask> {
  /** The short name DAGs and sweeps pick it by (`forest`); DAG params are `<name>.<hyperparameter>`. */
  name: string;
  /** The training task: inputs `{ train: Table, problem: Problem }`, output `{ model: Model }`. */
  task: T;
  /** Problem types it fits; anything else is refused before a row is read. */
  supports: readonly ProblemType[];
  /** The params worth tuning, main one first: dags/tabular.ts exposes them as DAG params, sweeps vary them. */
  hyperparameters: readonly ParamName<T>[];
  /** One line on how it is fitted (the solver, the library), for docs/plugins.md and `--help`-like listings. */
  solver: string;
  /**
   * Predicts feature rows (already preprocessed, in `model.features` order) with a model this task
   * trained. Long predictions (k-NN over many rows) stop when `signal` aborts.
   */
  predict(model: ModelSpec, x: Dense, options: { signal?: AbortSignal }): Prediction | Promise<Prediction>;
}

/** A defined algorithm. `model` is the ModelSpec.algorithm value its task writes (the task name's tail). */
export interface Algorithm<T extends AnyTask = AnyTask> extends Readonly<AlgorithmSpec<T>> {
  readonly model: string;
  readonly __brand: 'mlcycle.Algorithm';
}

/**
 * Declares an algorithm next to its training task (in the task's own file).
 * @example
 * export const knnAlgorithm = defineAlgorithm({
 *   name: 'knn', task: knn, supports: ['binary', 'multiclass', 'regression'], hyperparameters: ['k'],
 *   solver: 'exact brute-force search', predict: (model, x) => knnPredict(model.classical as KnnModel, x),
 * });
 */
export function defineAlgorithm<T extends AnyTask>(spec: AlgorithmSpec<T>): Algorithm<T> {
  const model = spec.task.name.slice(spec.task.name.indexOf('/') + 1);
  const props = (spec.task.params as { properties?: Record<string, unknown> }).properties ?? {};
  const unknown = spec.hyperparameters.filter((h) => !Object.hasOwn(props, h));
  if (unknown.length) throw new TypeError(`defineAlgorithm '${spec.name}': hyperparameters ${unknown.join(', ')} are not params of ${spec.task.name}`);
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) throw new TypeError(`defineAlgorithm: name '${spec.name}' must be lower-case letters, digits and dashes`);
  registerCheckedTask(spec);
  return Object.freeze({ ...spec, model, __brand: 'mlcycle.Algorithm' as const });
}

/**
 * Registers the training task with the finite-model check after `run` (_finite-model.ts) under the
 * task's own reference. The executors find tasks by reference, so every engine run of the task goes
 * through the check and a diverged model fails its node instead of being cached; `trainAlgorithm`
 * calls the check itself. The exported task object stays the one the file defined (same identity).
 */
function registerCheckedTask<T extends AnyTask>(spec: AlgorithmSpec<T>): void {
  const inner = spec.task;
  const task = Object.freeze({
    ...inner,
    async run(inputs: { train: ColumnTable }, params: unknown, ctx: TaskContext) {
      const out = await inner.run(inputs, params, ctx);
      await checkTrainedModel(spec, out.model as ModelSpec, inputs.train, { signal: ctx.signal });
      return out;
    },
  }) as T;
  registerTask(task);
}

/**
 * Why the algorithm cannot fit a problem type (naming what it fits), or undefined when it can.
 * @example
 * supportsMessage(logregAlgorithm, 'regression'); // "'logreg' fits classification only, and this problem is regression"
 */
export function supportsMessage(algorithm: Pick<Algorithm, 'name' | 'supports'>, task: ProblemType): string | undefined {
  if (algorithm.supports.includes(task)) return undefined;
  const fits = algorithm.supports.includes('regression') ? (algorithm.supports.length === 1 ? 'regression only' : 'classification and regression') : 'classification only';
  return `'${algorithm.name}' fits ${fits}, and this problem is ${task}`;
}
