/**
 * Every algorithm's hyperparameters as DAG params named `<algorithm>.<param>` (`forest.nEstimators`,
 * `logreg.C`), with the schema and default of the training task's own param. A DAG that lets the user
 * pick the algorithm declares them all, so `--param forest.maxDepth=8` works on any table and a sweep
 * can vary them; only the chosen algorithm's values reach its training node.
 */
import { Type, type DagBuilder, type TSchema } from '../../core/index.ts';
import type { Algorithm } from './define-algorithm.ts';
import { algorithms, type AlgorithmName } from './registry.ts';

/**
 * Declares `<algorithm>.<param>` for every registered algorithm's hyperparameters and returns the
 * chosen algorithm's values as task params. A param with no default (an optional one such as
 * `maxDepth`) is declared nullable with default null, meaning "the task's own default".
 * @example
 * const algorithm = b.param('algorithm', Type.Enum(algorithmNames), 'forest') as AlgorithmName;
 * const trainParams = declareHyperparameters(b, algorithm); // { nEstimators: 100, maxFeatures: 'auto', … }
 */
export function declareHyperparameters(b: DagBuilder, chosen: AlgorithmName): Record<string, unknown> {
  let picked: Record<string, unknown> = {};
  for (const algorithm of Object.values(algorithms) as Algorithm[]) {
    const values = declareFor(b, algorithm);
    if (algorithm.name === chosen) picked = values;
  }
  return picked;
}

function declareFor(b: DagBuilder, algorithm: Algorithm): Record<string, unknown> {
  const schema = algorithm.task.params as { properties?: Record<string, TSchema & { default?: unknown; description?: string }> };
  const out: Record<string, unknown> = {};
  for (const name of algorithm.hyperparameters) {
    const param = schema.properties![name];
    const dagName = `${algorithm.name}.${name}`;
    const value = param.default === undefined
      ? b.param(dagName, Type.Union([param, Type.Null()], { description: param.description }), null)
      : b.param(dagName, param, param.default as never);
    if (value !== null && value !== undefined) out[name] = value;
  }
  return out;
}
