/**
 * The whole lifecycle on the real, messy Palmer penguins data (missing values, categorical columns):
 * define → load → validate → clean → split → preprocess (fitted on train only) → train an MLP →
 * evaluate against the majority baseline → report → export a bundle → register it in the workspace's
 * model registry as the next version of 'penguins', promoted to `champion` only if its held-out
 * accuracy reaches minAccuracy and beats the current champion's on the same rows. `npm start` runs it.
 *   mlcycle run dags/penguins.ts --param maxIter=100
 *   mlcycle models show penguins        # versions, the champion, and why each alias move happened
 */
import { fileURLToPath } from 'node:url';
import { dag, Type } from '../core/index.ts';
import { mlp } from '../plugins/algorithms/mlp.ts';
import { predict } from '../plugins/algorithms/predict.ts';
import { dropDuplicates } from '../plugins/cleaners/drop-duplicates.ts';
import { dropMissingTarget } from '../plugins/cleaners/drop-missing-target.ts';
import { evaluate } from '../plugins/evaluators/evaluate.ts';
import { report } from '../plugins/evaluators/report.ts';
import { register } from '../plugins/deploy/register.ts';
import { bundle } from '../plugins/exporters/bundle.ts';
import { csvLoader } from '../plugins/loaders/csv.ts';
import { loaderFor } from '../plugins/loaders/by-extension.ts';
import { jsonLoader } from '../plugins/loaders/json.ts';
import { defineProblem } from '../plugins/problem/define.ts';
import { stratifiedTrainTest } from '../plugins/splitters/stratified-train-test.ts';
import { apply } from '../plugins/transformers/apply.ts';
import { autoPreprocess } from '../plugins/transformers/auto-preprocess.ts';
import { inferSchema } from '../plugins/validators/infer-schema.ts';

// Shipped with the vega-datasets package, read from disk (its JS API would download).
const penguinsFile = fileURLToPath(new URL('../node_modules/vega-datasets/data/penguins.json', import.meta.url));

export default dag('penguins', (b) => {
  const data = b.param('data', Type.String(), penguinsFile);
  const testFraction = b.param('testFraction', Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), 0.25);
  const maxIter = b.param('maxIter', Type.Integer({ minimum: 1 }), 300);
  const learningRate = b.param('learningRate', Type.Number({ exclusiveMinimum: 0 }), 0.01);
  const hiddenLayers = b.param('hiddenLayers', Type.Array(Type.Integer({ minimum: 1 })), [16, 8]);
  const seed = b.param('seed', Type.Integer(), 7);
  const out = b.param('out', Type.String(), 'bundles/penguins');
  const minAccuracy = b.param('minAccuracy', Type.Number({ minimum: 0, maximum: 1 }), 0.9);

  // By extension, so the same DAG retrains on new rows in another format (--param data=new-penguins.csv);
  // anything else is read as JSON, as it always was here (and refused by the JSON loader if it is not).
  const loader = loaderFor(data) ?? jsonLoader;
  const { table: raw } = b.add('load', loader as typeof csvLoader, {}, { path: data });
  const { problem } = b.add('define', defineProblem, { table: raw }, { target: 'Species', metric: 'accuracy' });
  const { schema } = b.add('validate', inferSchema, { table: raw });
  const { table: deduped } = b.add('dedupe', dropDuplicates, { table: raw });
  const { table: clean } = b.add('clean', dropMissingTarget, { table: deduped, problem });
  const { train, test } = b.add('split', stratifiedTrainTest, { table: clean, problem }, { testFraction, seed });
  const { transform } = b.add('preprocess', autoPreprocess, { train, problem });
  const { table: trainX } = b.add('prepare-train', apply, { table: train, transform });
  const { table: testX } = b.add('prepare-test', apply, { table: test, transform });
  const { model } = b.add('train', mlp, { train: trainX, problem }, { maxIter, learningRate, hiddenLayers, seed });
  const { predictions } = b.add('predict', predict, { model, table: testX });
  const { metrics, details } = b.add('evaluate', evaluate, { predictions, train: trainX, problem });
  b.add('report', report, { metrics, details, problem, model });
  const exported = b.add('export', bundle, { model, transform, problem, schema, metrics, reference: train }, { out, name: 'penguins' });
  // The raw held-out rows (before preprocessing): each registered bundle applies its own.
  const { decision } = b.add('register', register, { bundle: exported.bundle, test, problem }, { name: 'penguins', alias: 'champion', threshold: minAccuracy });
  return { metrics, bundle: exported.bundle, decision };
});
