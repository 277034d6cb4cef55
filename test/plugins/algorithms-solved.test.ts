/**
 * The solved models as tasks (linear and logistic regression, the MLP): what each task adds around its
 * solver (checks, scaling, logs, reports, the stored model) on real data. The solvers themselves are
 * checked against scikit-learn's numbers in linear-solvers.test.ts and mlp-net.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import * as aq from 'arquero';
import { CancelledError, NonRetryableError } from '../../core/index.ts';
import { Model, type ModelSpec } from '../../plugins/kinds.ts';
import { predictTable } from '../../plugins/algorithms/predict-table.ts';
import { linearRegression } from '../../plugins/algorithms/linear-regression.ts';
import { logisticRegression } from '../../plugins/algorithms/logistic-regression.ts';
import { mlp } from '../../plugins/algorithms/mlp.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { accuracy, cars, iris, irisBinary, majorityShare, penguins, r2, type Dataset } from './algorithms-data.ts';

async function train(task: any, data: Pick<Dataset, 'train' | 'problem'>, params: Record<string, unknown>, ctx = makeContext()) {
  return (await runTask(task, { train: data.train, problem: data.problem }, params, ctx)).model as ModelSpec;
}

/** Every feature column of `table` standardised (population sd), the target left as it is. */
function standardised(table: aq.ColumnTable, target: string): aq.ColumnTable {
  const cols: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    const v = Array.from(table.array(name) as ArrayLike<any>);
    if (name === target) { cols[name] = v; continue; }
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
    cols[name] = v.map((x) => (x - mean) / sd);
  }
  return aq.table(cols);
}

describe('algorithms/logistic-regression', () => {
  it("reaches scikit-learn's optimum: all of iris standardised, C = 1, objective 0.20919", async () => {
    // scikit-learn 1.2.1 LogisticRegression(C=1, tol=1e-10) on the same 150 standardised rows reaches
    // mean log loss + ‖W‖²/(2·C·n) = 0.20919.
    const data = iris();
    const full = { problem: data.problem, train: standardised(data.train.concat(data.test), 'species') };
    const ctx = makeContext();
    const model = await train(logisticRegression, full, {}, ctx);
    expect(model.info?.loss).toBeCloseTo(0.20919, 5);
    expect(model.info?.converged).toBe(true);
    const coef = (model.classical as { coef: Float64Array }).coef;
    expect(coef).toBeInstanceOf(Float64Array);
    expect(coef).toHaveLength(3 * 4);
    expect(ctx.logs.some((l) => /L-BFGS, \d+ iteration/.test(l))).toBe(true);
    // No penalty: the coefficients grow (iris is nearly separable).
    const free = await train(logisticRegression, full, { C: null, maxIter: 200 });
    const norm = (m: ModelSpec) => (m.classical as { coef: Float64Array }).coef.reduce((s, w) => s + w * w, 0);
    expect(norm(free)).toBeGreaterThan(4 * norm(model));
  });

  it('fits a binary problem with one coefficient row; probabilities in class order sum to 1', async () => {
    const data = irisBinary();
    const model = await train(logisticRegression, data, {});
    expect((model.classical as { coef: Float64Array }).coef).toHaveLength(4);
    const out = await predictTable(model, data.test);
    expect(accuracy(out)).toBeGreaterThan(0.85);
    for (const r of out.objects() as Array<Record<string, any>>) {
      expect(r.prob_versicolor + r.prob_virginica).toBeCloseTo(1, 12);
      expect(r.predicted).toBe(r.prob_virginica > r.prob_versicolor ? 'virginica' : 'versicolor');
    }
  });

  it('warns when maxIter stops it before convergence, and keeps the model', async () => {
    const ctx = makeContext();
    const model = await train(logisticRegression, penguins(), { maxIter: 2 }, ctx);
    expect(model.info?.converged).toBe(false);
    expect(ctx.logs.some((l) => l.startsWith('warn: logistic-regression: not converged after 2 iterations'))).toBe(true);
  });

  it('refuses a regression problem, saying what to use; refuses C = 0 at validation', async () => {
    await expect(train(logisticRegression, cars(), {})).rejects.toThrow(/use linear-regression/);
    await expect(train(logisticRegression, iris(), { C: 0 })).rejects.toThrow(/params.C/);
  });
});

describe('algorithms/linear-regression', () => {
  it('solves least squares exactly: predictions equal the normal-equation solution on cars', async () => {
    const data = cars();
    const model = await train(linearRegression, data, {});
    const out = await predictTable(model, data.test);
    expect(r2(out)).toBeGreaterThan(0.65);
    // The residuals of an exact least-squares fit are orthogonal to every feature (and sum to 0).
    const fitted = await predictTable(model, data.train);
    const res = Array.from(fitted.array('predicted') as Float64Array, (p, i) => (data.train.array('Miles_per_Gallon') as number[])[i] - p);
    expect(Math.abs(res.reduce((s, v) => s + v, 0))).toBeLessThan(1e-8);
    const hp = data.train.array('Horsepower') as number[];
    expect(Math.abs(res.reduce((s, v, i) => s + v * hp[i], 0))).toBeLessThan(1e-5);
  });

  it('alpha > 0 shrinks the coefficients (ridge); a collinear copy of a column gets the minimum-norm split', async () => {
    const data = cars();
    const coef = (m: ModelSpec) => Array.from((m.classical as { coef: Float64Array }).coef);
    const ols = coef(await train(linearRegression, data, {}));
    const ridge = coef(await train(linearRegression, data, { alpha: 1e9 }));
    expect(Math.abs(ridge[1])).toBeLessThan(Math.abs(ols[1]));
    const doubled = { ...data, train: data.train.derive({ hp2: (d: any) => d.Horsepower }) };
    const ctx = makeContext();
    const twin = coef(await train(linearRegression, doubled, {}, ctx));
    expect(twin[0]).toBeCloseTo(ols[0] / 2, 8);
    expect(twin[2]).toBeCloseTo(ols[0] / 2, 8);
    expect(ctx.logs.some((l) => l.includes('linear combinations of others'))).toBe(true);
  });

  it('refuses a classification problem with a NonRetryableError', async () => {
    await expect(train(linearRegression, iris(), {})).rejects.toBeInstanceOf(NonRetryableError);
  });
});

describe('algorithms/mlp', () => {
  it('classifies penguins, reporting loss and the held-out score once per epoch, stopping early', async () => {
    const data = penguins();
    const ctx = makeContext();
    const model = await train(mlp, data, { learningRate: 0.01 }, ctx);
    expect(accuracy(await predictTable(model, data.test))).toBeGreaterThan(majorityShare(data.test, 'Species') + 0.4);
    expect(ctx.reports.map((r) => r.step)).toEqual(Array.from({ length: ctx.reports.length }, (_, i) => i + 1));
    for (const { metrics } of ctx.reports) expect(Object.keys(metrics).sort()).toEqual(['loss', 'val_score']);
    expect(model.info?.stoppedEarly).toBe(true);
    expect(model.info?.bestValScore).toBe(Math.max(...ctx.reports.map((r) => r.metrics.val_score)));
  });

  it('without early stopping it stops on the training loss and reports only the loss', async () => {
    const ctx = makeContext();
    const model = await train(mlp, iris(), { earlyStopping: false, maxIter: 3, hiddenLayers: [4] }, ctx);
    expect(Object.keys(ctx.reports[0].metrics)).toEqual(['loss']);
    expect(model.info?.epochs).toBe(3);
    expect(ctx.logs.some((l) => l.startsWith('warn: mlp: stopped at maxIter = 3 epochs'))).toBe(true);
  });

  it('learns a target far from zero: standardised for training, predicted back in its own units', async () => {
    const data = cars();
    const far = { ...data, train: data.train.derive({ Miles_per_Gallon: (d: any) => d.Miles_per_Gallon * 10 + 1000 }) };
    const model = await train(mlp, far, { hiddenLayers: [16], learningRate: 0.01 });
    const state = model.classical as { targetMean: number; targetStd: number };
    expect(state.targetMean).toBeGreaterThan(1200);
    const test = data.test.derive({ Miles_per_Gallon: (d: any) => d.Miles_per_Gallon * 10 + 1000 });
    expect(r2(await predictTable(model, test))).toBeGreaterThan(0.6);
  });

  it('is deterministic by seed: same seed → same bytes, another seed → different; the codec round-trips', async () => {
    const data = iris();
    const params = { hiddenLayers: [8], maxIter: 20, seed: 7 };
    const [a, b, c] = [await train(mlp, data, params), await train(mlp, data, params), await train(mlp, data, { ...params, seed: 8 })];
    expect(Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(b)))).toBe(true);
    expect(Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(c)))).toBe(false);
    const decoded = Model.decode(Model.encode(a));
    expect((await predictTable(decoded, data.test)).objects()).toEqual((await predictTable(a, data.test)).objects());
  });

  it('stops mid-training when ctx.signal aborts, throwing CancelledError', async () => {
    const controller = new AbortController();
    const ctx = makeContext({ signal: controller.signal });
    ctx.report = (step) => {
      ctx.reports.push({ step, metrics: {} });
      if (step === 2) controller.abort();
    };
    await expect(train(mlp, iris(), { earlyStopping: false, tol: 0, maxIter: 500 }, ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(ctx.reports).toHaveLength(2);
  });

  it('rejects a non-numeric or missing feature, naming the column and the fix', async () => {
    const data = iris();
    const withText = data.train.derive({ colour: () => 'blue' });
    await expect(train(mlp, { ...data, train: withText }, {})).rejects.toThrow(/'colour' is not numeric.*auto-preprocess/);
    const withNull = data.train.derive({ sepal_width: (d: any) => (d.sepal_width > 3.5 ? null : d.sepal_width) });
    const err = await train(mlp, { ...data, train: withNull }, {}).catch((e) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.message).toMatch(/'sepal_width' has a missing value/);
  });
});
