/**
 * The generic lifecycle for any table file: load (loader picked by extension) → define the problem →
 * infer the schema → drop rows without a target → k-fold (stratified for classification) → per fold:
 * preprocess fitted on that fold's train, train, predict, evaluate → cross-validation summary. Then
 * the same preprocessing and algorithm fitted on all rows are exported as a bundle whose manifest
 * carries the cross-validated means.
 *   mlcycle run dags/tabular.ts --param data=iris.csv --param target=species --param algorithm=tree --json
 * The fold count changes the DAG's shape: one branch of nodes per fold.
 */
import path from 'node:path';
import { dag, Type, ValidationError, type DagBuilder, type OutputRef } from '../core/index.ts';
import { supportsMessage } from '../plugins/algorithms/define-algorithm.ts';
import { declareHyperparameters } from '../plugins/algorithms/hyperparameters.ts';
import { algorithmByName, algorithmNames, type AlgorithmName } from '../plugins/algorithms/registry.ts';
import { predict } from '../plugins/algorithms/predict.ts';
import { dropMissingTarget } from '../plugins/cleaners/drop-missing-target.ts';
import { crossValidation } from '../plugins/evaluators/cross-validation.ts';
import { cvMetrics } from '../plugins/evaluators/cv-metrics.ts';
import { evaluate } from '../plugins/evaluators/evaluate.ts';
import { report } from '../plugins/evaluators/report.ts';
import { bundle } from '../plugins/exporters/bundle.ts';
import { csvLoader } from '../plugins/loaders/csv.ts';
import { loaderExtensions, loaderFor, type FileLoader } from '../plugins/loaders/by-extension.ts';
import { defineProblem } from '../plugins/problem/define.ts';
import { autoKFold } from '../plugins/splitters/auto-k-fold.ts';
import { selectFold } from '../plugins/splitters/select-fold.ts';
import { apply } from '../plugins/transformers/apply.ts';
import { concatRows } from '../plugins/transformers/concat-rows.ts';
import { autoPreprocess } from '../plugins/transformers/auto-preprocess.ts';
import { inferSchema } from '../plugins/validators/infer-schema.ts';


export default dag('tabular', (b) => {
  const data = b.param('data', Type.String({ description: 'CSV, TSV, JSON, NDJSON, Parquet or Arrow file (by extension), relative to the working folder.' }), '');
  const target = b.param('target', Type.String({ description: 'The column to predict.' }), '');
  const task = b.param('task', Type.Enum(['auto', 'binary', 'multiclass', 'regression']), 'auto');
  const algorithm = b.param('algorithm', Type.Enum(algorithmNames), 'forest') as AlgorithmName;
  const folds = b.param('folds', Type.Integer({ minimum: 2, maximum: 50 }), 5);
  const seed = b.param('seed', Type.Integer(), 0);
  const out = b.param('out', Type.String(), '');
  const hyperparameters = declareHyperparameters(b, algorithm);

  const problems = [
    !data && "param 'data' is required: the table file to learn from. Pass it as --param data=<file.csv>",
    !target && "param 'target' is required: the column to predict. Pass it as --param target=<column>",
    ...buildTimeMismatch(task, algorithm),
  ].filter((p): p is string => typeof p === 'string');
  const loader = loaderFor(data);
  if (data && !loader) {
    problems.push(`param 'data': cannot tell the format of '${data}' from its extension; use one of ${loaderExtensions()}`);
  }
  if (problems.length) throw new ValidationError(problems.map((p) => `dag 'tabular' › ${p}`).join('\n'));

  const file = path.resolve(b.cwd, data);
  const bundleDir = path.resolve(b.cwd, out || path.join('bundles', path.basename(data, path.extname(data))));
  const train = algorithmByName(algorithm).task;
  // Only some algorithms take a seed (knn and bayes are deterministic; the tree uses it to break ties).
  const algoParams = { ...hyperparameters, ...('seed' in ((train.params as { properties?: object }).properties ?? {}) ? { seed } : {}) };

  const { table: raw } = addLoader(b, loader!, file);
  const { problem } = b.add('define', defineProblem, { table: raw }, { target, task });
  const { schema } = b.add('schema', inferSchema, { table: raw });
  const { table: clean } = b.add('clean', dropMissingTarget, { table: raw, problem });
  const { folds: cut } = b.add('folds', autoKFold, { table: clean, problem }, { k: folds, seed });

  const scores: Array<OutputRef<'Metrics'>> = [];
  const outOfFold: Array<OutputRef<'Table'>> = [];
  for (let i = 0; i < folds; i++) {
    const split = b.add(`fold-${i}`, selectFold, { table: clean, folds: cut }, { fold: i });
    const { transform } = b.add(`preprocess-${i}`, autoPreprocess, { train: split.train, problem });
    const { table: trainX } = b.add(`prepare-train-${i}`, apply, { table: split.train, transform });
    const { table: testX } = b.add(`prepare-test-${i}`, apply, { table: split.test, transform });
    const { model } = b.add(`train-${i}`, train, { train: trainX, problem }, algoParams) as { model: OutputRef<'Model'> };
    const { predictions } = b.add(`predict-${i}`, predict, { model, table: testX });
    outOfFold.push(predictions);
    scores.push(b.add(`evaluate-${i}`, evaluate, { predictions, train: trainX, problem }).metrics);
  }
  const { cv } = b.add('cv', crossValidation, { folds: scores });

  const { transform } = b.add('preprocess', autoPreprocess, { train: clean, problem });
  const { table: allX } = b.add('prepare', apply, { table: clean, transform });
  const { model } = b.add('train', train, { train: allX, problem }, algoParams) as { model: OutputRef<'Model'> };
  const { metrics } = b.add('cv-means', cvMetrics, { cv });
  // One report over every row's out-of-fold prediction (as scikit-learn's cross_val_predict), with the
  // final model's learning curve.
  const { table: oof } = b.add('out-of-fold', concatRows, { tables: outOfFold });
  const oofEval = b.add('evaluate', evaluate, { predictions: oof, train: clean, problem });
  b.add('report', report, { metrics: oofEval.metrics, details: oofEval.details, problem, model });
  const name = path.basename(bundleDir);
  const exported = b.add('export', bundle, { model, transform, problem, schema, metrics, reference: clean }, { out: bundleDir, name });
  return { cv, bundle: exported.bundle };
});

/** The loader node; the file path is absolute so the loader and the cache key agree on the file. */
function addLoader(b: DagBuilder, loader: FileLoader, file: string): { table: OutputRef<'Table'> } {
  // Every loader takes `path` and outputs `table`; the union is too wide for add's inference.
  return b.add('load', loader as typeof csvLoader, {}, { path: file });
}

/** Algorithm/task pairs known to be impossible before any data is read (only when task is not 'auto'). */
function buildTimeMismatch(task: string, algorithm: AlgorithmName): string[] {
  if (task === 'auto') return [];
  const why = supportsMessage(algorithmByName(algorithm), task as 'binary' | 'multiclass' | 'regression');
  if (!why) return [];
  const fitting = algorithmNames.filter((a) => !supportsMessage(algorithmByName(a), task as 'regression'));
  return [`param 'algorithm': ${why}; use ${fitting.join(', ')}`];
}
