/**
 * The column-array prediction path (exporters/_fast-predict.ts, transformers/columns-transform.ts)
 * must answer exactly as the table path: same values to the bit, same keys in the same order, same
 * invalid rows, and where it declines (undefined) the table path decides. Real bundles written by
 * exporters/bundle, every Transform step type, four algorithms, every penguins row.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { from } from 'arquero';
import { knn } from '../../plugins/algorithms/knn.ts';
import { logisticRegression } from '../../plugins/algorithms/logistic-regression.ts';
import { mlp } from '../../plugins/algorithms/mlp.ts';
import { randomForest } from '../../plugins/algorithms/random-forest.ts';
import { loadBundle, predictRows, predictRowsFast, type Bundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import type { TransformSpec } from '../../plugins/kinds.ts';
import { loadModel } from '../../plugins/serving/load-model.ts';
import { predictionColumns } from '../../plugins/serving/prediction-columns.ts';
import {
  applyTransform, fitClip, fitDrop, fitImpute, fitMinMax, fitOneHot, fitOrdinal, fitStandardize,
} from '../../plugins/transformers/steps.ts';
import { inferSchema } from '../../plugins/validators/infer-schema.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { penguinProblem, penguins } from './exporters-fixture.ts';

const NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const run = { id: 'run-1', dag: 'penguins', file: 'dags/penguins.ts', params: {} };
let root: string;
const bundles: Array<{ name: string; dir: string; bundle: Bundle }> = [];
const rows = penguins();
const all = [...rows.train, ...rows.test];

/** Every step type, in two Transforms (onehot and ordinal replace the same columns, so they cannot share one). */
function transforms(): Record<string, TransformSpec> {
  const train = from(rows.train);
  const impute = fitImpute(train, { columns: [...NUMERIC.map((column) => ({ column, method: 'median' as const })), { column: 'Island', method: 'most_frequent' }, { column: 'Sex', method: 'most_frequent' }] });
  const imputed = applyTransform(train, { steps: [impute] });
  const iqr = fitClip(imputed, { columns: NUMERIC, method: 'iqr' });
  const standardize = fitStandardize(imputed, { columns: NUMERIC });
  const onehot = fitOneHot(imputed, { columns: ['Island', 'Sex'] });
  const impute2 = fitImpute(train, { columns: [...NUMERIC.map((column) => ({ column, method: 'mean' as const })), { column: 'Sex', method: 'constant' }, { column: 'Island', method: 'most_frequent' }], fillValue: 'missing' as never });
  const imputed2 = applyTransform(train, { steps: [impute2] });
  const z = fitClip(imputed2, { columns: NUMERIC.slice(0, 3), method: 'zscore', z: 2 });
  const minmax = fitMinMax(imputed2, { columns: NUMERIC });
  const ordinal = fitOrdinal(imputed2, { columns: ['Island', 'Sex'] });
  const drop = fitDrop(imputed2, { columns: ['Beak Depth (mm)'] });
  return {
    onehot: { steps: [impute, iqr, standardize, onehot] },
    ordinal: { steps: [impute2, z, minmax, ordinal, drop] },
  } as unknown as Record<string, TransformSpec>;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-fast-predict-'));
  const problem = penguinProblem;
  const reference = from(rows.train);
  const { schema } = await runTask(inferSchema, { table: reference });
  const algorithms = [
    ['forest', randomForest, { nEstimators: 10, seed: 1 }],
    ['mlp', mlp, { hiddenLayers: [8], maxIter: 30, seed: 1 }],
    ['logreg', logisticRegression, { C: 1 }],
    ['knn', knn, { k: 5 }],
  ] as const;
  for (const [tname, transform] of Object.entries(transforms())) {
    const trainX = applyTransform(reference, transform);
    for (const [aname, task, params] of algorithms) {
      const { model } = await runTask(task as never, { train: trainX, problem }, params as never) as { model: never };
      const dir = path.join(root, `${tname}-${aname}`);
      await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out: dir, name: `${tname}-${aname}` }, makeContext({ run }));
      bundles.push({ name: `${tname}-${aname}`, dir, bundle: await loadBundle(dir) });
    }
  }
}, 300_000);
afterAll(() => rm(root, { recursive: true, force: true }));

/** The table path's answer, as loadModel().predict shapes it, or its error message. */
async function tablePath(b: Bundle, input: Array<Record<string, unknown>>, onInvalid: 'error' | 'skip' | 'null') {
  try {
    return predictionColumns((await predictRows(b, input, { onInvalid })).predictions, b);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

async function fastPath(b: Bundle, input: Array<Record<string, unknown>>, onInvalid: 'error' | 'skip' | 'null') {
  try {
    return await predictRowsFast(b, input, { onInvalid });
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** Same keys in the same order and every value the same to the bit (Object.is: -0 and NaN count). */
function expectIdentical(fast: unknown, slow: unknown): void {
  if (!Array.isArray(fast) || !Array.isArray(slow)) {
    expect(fast).toBe(slow);
    return;
  }
  expect(fast).toHaveLength(slow.length);
  fast.forEach((row: Record<string, unknown>, i) => {
    expect(JSON.stringify(row)).toBe(JSON.stringify(slow[i]));
    expect(Object.keys(row)).toEqual(Object.keys(slow[i]));
    for (const [k, v] of Object.entries(row)) if (!Object.is(v, slow[i][k])) throw new Error(`row ${i} ${k}: ${String(v)} vs ${String(slow[i][k])}`);
  });
}

/** Rows the contract refuses (unseen category, far out of range) or that have blanks, beside normal ones. */
const odd: Array<Record<string, unknown>> = [
  { ...rows.test[0]!, Island: 'Atlantis' },
  { ...rows.test[1]!, 'Body Mass (g)': 1e6 },
  { ...rows.test[2]!, 'Beak Length (mm)': null, Sex: null },
  { Species: 'Adelie', Island: null, 'Beak Length (mm)': null, 'Beak Depth (mm)': null, 'Flipper Length (mm)': null, 'Body Mass (g)': null, Sex: null },
];

describe('predictRowsFast: the column-array path answers as the table path does', () => {
  it('every penguins row in one call, each onInvalid policy, every bundle (steps: impute, clip, standardize, minmax, onehot, ordinal, drop)', async () => {
    expect(bundles).toHaveLength(8);
    for (const { bundle: b } of bundles) {
      for (const onInvalid of ['null', 'skip', 'error'] as const) {
        for (const input of [all, [...all.slice(0, 20), ...odd]]) {
          const fast = await fastPath(b, input, onInvalid);
          const slow = await tablePath(b, input, onInvalid);
          // The imputers fill every blank, so the fast path declines nothing here.
          expect(fast).not.toBeUndefined();
          expectIdentical(fast, slow);
        }
      }
    }
  }, 300_000);

  it('every penguins row alone, as a server predicts single-row requests', async () => {
    for (const { bundle: b } of bundles) {
      for (const row of [...all, ...odd]) expectIdentical(await fastPath(b, [row], 'null'), await tablePath(b, [row], 'null'));
    }
  }, 300_000);

  it('declines what it does not mirror (a Transform without an imputer meeting a blank), and loadModel then answers as the table path', async () => {
    const b = bundles.find((x) => x.name === 'onehot-logreg')!;
    const noImpute = { ...b.bundle, transform: { steps: b.bundle.transform.steps.slice(1) } } as Bundle;
    const blank = [{ ...rows.test[0]!, 'Beak Length (mm)': null }];
    expect(await predictRowsFast(noImpute, blank, { onInvalid: 'null' })).toBeUndefined();
    const model = await loadModel(b.dir);
    for (const row of [...rows.test.slice(0, 30), ...odd]) {
      const slow = await tablePath(b.bundle, [row], 'error');
      let got: unknown;
      try {
        got = await model.predict([row]);
      } catch (err) {
        got = `error: ${(err as Error).message}`;
      }
      expectIdentical(got, slow);
    }
  }, 120_000);
});
