/**
 * A regression lifecycle on the vega-datasets cars (1970–1982 models, some mpg and horsepower values
 * missing): load → define (predict Miles_per_Gallon) → validate → drop the Name identifier → drop
 * rows without mpg → holdout split → preprocess (fitted on train only) → train → evaluate against
 * the mean-of-train baseline → report → export a bundle.
 *   mlcycle run dags/cars.ts --param algorithm=linear
 */
import { fileURLToPath } from 'node:url';
import { dag, Type, type OutputRef } from '../core/index.ts';
import { algorithmNames, algorithmTask, type AlgorithmName } from '../plugins/algorithms/registry.ts';
import { predict } from '../plugins/algorithms/predict.ts';
import { dropColumns } from '../plugins/cleaners/drop-columns.ts';
import { dropMissingTarget } from '../plugins/cleaners/drop-missing-target.ts';
import { evaluate } from '../plugins/evaluators/evaluate.ts';
import { report } from '../plugins/evaluators/report.ts';
import { bundle } from '../plugins/exporters/bundle.ts';
import { jsonLoader } from '../plugins/loaders/json.ts';
import { defineProblem } from '../plugins/problem/define.ts';
import { trainTest } from '../plugins/splitters/train-test.ts';
import { apply } from '../plugins/transformers/apply.ts';
import { autoPreprocess } from '../plugins/transformers/auto-preprocess.ts';
import { inferSchema } from '../plugins/validators/infer-schema.ts';

// Shipped with the vega-datasets package, read from disk (its JS API would download).
const carsFile = fileURLToPath(new URL('../node_modules/vega-datasets/data/cars.json', import.meta.url));

export default dag('cars', (b) => {
  const data = b.param('data', Type.String({ minLength: 1 }), carsFile);
  const testFraction = b.param('testFraction', Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), 0.2);
  const algorithm = b.param('algorithm', Type.Enum(algorithmNames), 'forest') as AlgorithmName;
  const seed = b.param('seed', Type.Integer(), 7);
  const out = b.param('out', Type.String({ minLength: 1 }), 'bundles/cars');

  const train = algorithmTask(algorithm);
  const algoParams = 'seed' in ((train.params as { properties?: object }).properties ?? {}) ? { seed } : {};

  // Year stays text ('1970-01-01' …): 13 model years become a one-hot category instead of a date
  // column, which auto-preprocess would drop.
  const { table: raw } = b.add('load', jsonLoader, {}, { path: data, parseDates: false });
  const { problem } = b.add('define', defineProblem, { table: raw }, { target: 'Miles_per_Gallon', task: 'regression', metric: 'rmse' });
  // Name (311 distinct values in 406 rows) would become hundreds of one-hot columns that a model
  // memorises; a make-and-model is no input to predict mileage from.
  const { table: features } = b.add('drop-name', dropColumns, { table: raw }, { columns: ['Name'] });
  const { schema } = b.add('validate', inferSchema, { table: features });
  const { table: clean } = b.add('clean', dropMissingTarget, { table: features, problem });
  const { train: trainRows, test } = b.add('split', trainTest, { table: clean }, { testFraction, seed });
  const { transform } = b.add('preprocess', autoPreprocess, { train: trainRows, problem });
  const { table: trainX } = b.add('prepare-train', apply, { table: trainRows, transform });
  const { table: testX } = b.add('prepare-test', apply, { table: test, transform });
  const { model } = b.add('train', train, { train: trainX, problem }, algoParams) as { model: OutputRef<'Model'> };
  const { predictions } = b.add('predict', predict, { model, table: testX });
  const { metrics, details } = b.add('evaluate', evaluate, { predictions, train: trainX, problem });
  b.add('report', report, { metrics, details, problem, model });
  const exported = b.add('export', bundle, { model, transform, problem, schema, metrics, reference: trainRows }, { out, name: 'cars' });
  return { metrics, bundle: exported.bundle };
});
