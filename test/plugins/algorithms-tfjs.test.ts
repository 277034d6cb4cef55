import { describe, expect, it } from '@jest/globals';
import * as aq from 'arquero';
import { CancelledError, NonRetryableError } from '../../core/index.ts';
import { Model, type ModelSpec } from '../../plugins/kinds.ts';
import { initTf, timeMatmul } from '../../plugins/algorithms/_backend.ts';
import { predictTable } from '../../plugins/algorithms/_predict.ts';
import { heldOutRows } from '../../plugins/algorithms/_tfjs-fit.ts';
import { linearRegression } from '../../plugins/algorithms/linear-regression.ts';
import { logisticRegression } from '../../plugins/algorithms/logistic-regression.ts';
import { mlp } from '../../plugins/algorithms/mlp.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { accuracy, cars, iris, irisBinary, majorityShare, penguins, r2 } from './algorithms-data.ts';

const fast = { epochs: 30, learningRate: 0.05 };

async function train(task: any, data: { train: aq.ColumnTable; problem: any }, params: Record<string, unknown>, ctx = makeContext()) {
  return (await runTask(task, { train: data.train, problem: data.problem }, params, ctx)).model as ModelSpec;
}

describe('tfjs backend', () => {
  it('loads wasm (tfjs-node is not installed here) and it computes', async () => {
    const { tf, backend } = await initTf();
    expect(['tensorflow', 'wasm']).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
    const times = await timeMatmul(tf, [backend, 'cpu'], 256, 10);
    console.log(`10 × matmul 256²: ${Object.entries(times).map(([b, ms]) => `${b} ${ms.toFixed(0)} ms`).join(', ')}`);
    expect(tf.getBackend()).toBe(backend);
  });
});

describe('algorithms/logistic-regression', () => {
  it('fits multiclass iris (softmax) far above the majority baseline and records the backend', async () => {
    const data = iris();
    const ctx = makeContext();
    const model = await train(logisticRegression, data, fast, ctx);
    const out = await predictTable(model, data.test);
    expect(accuracy(out)).toBeGreaterThan(majorityShare(data.test, 'species') + 0.4);
    expect(model.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(model.info?.backend).toBe((await initTf()).backend);
    expect(ctx.logs.some((l) => l.includes(`backend '${model.info?.backend}'`))).toBe(true);
    const row = out.object(0) as Record<string, number>;
    expect(row.prob_setosa + row.prob_versicolor + row.prob_virginica).toBeCloseTo(1, 5);
  });

  it('fits a binary problem with a sigmoid and reports the positive class probability', async () => {
    const data = irisBinary();
    const model = await train(logisticRegression, data, fast);
    const out = await predictTable(model, data.test);
    expect(accuracy(out)).toBeGreaterThan(0.8);
    expect(model.info?.positiveClass).toBe('virginica');
    const rows = out.objects() as Array<Record<string, any>>;
    for (const r of rows) expect(r.predicted).toBe(r.prob_virginica >= 0.5 ? 'virginica' : 'versicolor');
  });

  it("penalises like scikit-learn's C: l2 = 1/(2·C·n) on the kernel only, converging to scikit-learn's optimum", async () => {
    // All 150 iris rows, standardised: scikit-learn 1.2.1 LogisticRegression(C=1, tol=1e-10) reaches
    // mean log loss + ‖W‖²/(2n) = 0.20919 (test/bench/sklearn: same objective, lbfgs to convergence).
    const data = iris();
    const full = { ...data, train: data.train.concat(data.test) };
    const model = await train(logisticRegression, full, { seed: 0 });
    expect(model.info?.l2).toBeCloseTo(1 / (2 * 150), 12);
    const output = (model.tfjs!.modelTopology as any).config.layers.at(-1).config;
    expect(output.kernel_regularizer.config.l2).toBeCloseTo(1 / 300, 12);
    expect(output.bias_regularizer).toBeNull();
    const out = (await predictTable(model, full.train)).objects() as Array<Record<string, any>>;
    const logLoss = out.reduce((s, r) => s - Math.log(r[`prob_${r.actual}`]), 0) / out.length;
    const kernel = new Float32Array(model.tfjs!.weightData.slice().buffer, 0, 12);
    const objective = logLoss + kernel.reduce((s, w) => s + w * w, 0) / 300;
    expect(objective).toBeGreaterThan(0.2091);
    expect(objective).toBeLessThan(0.2092 + 0.002);
    const free = await train(logisticRegression, full, { seed: 0, C: null });
    expect(free.info?.l2).toBe(0);
    const freeKernel = new Float32Array(free.tfjs!.weightData.slice().buffer, 0, 12);
    expect(freeKernel.reduce((s, w) => s + w * w, 0)).toBeGreaterThan(2 * kernel.reduce((s, w) => s + w * w, 0));
  });

  it('refuses a regression problem, saying what to use', async () => {
    await expect(train(logisticRegression, cars(), fast)).rejects.toThrow(/linear-regression/);
  });
});

describe('algorithms/linear-regression', () => {
  it('predicts miles per gallon from horsepower and weight with R² > 0.6', async () => {
    const data = cars();
    const model = await train(linearRegression, data, fast);
    expect(r2(await predictTable(model, data.test))).toBeGreaterThan(0.6);
    expect(model.info?.targetScaling).toBeDefined();
  });

  it('refuses a classification problem with a NonRetryableError', async () => {
    await expect(train(linearRegression, iris(), fast)).rejects.toBeInstanceOf(NonRetryableError);
  });
});

describe('algorithms/mlp', () => {
  it('classifies penguins, reporting loss, val_loss and accuracy once per epoch', async () => {
    const data = penguins();
    const ctx = makeContext();
    const model = await train(mlp, data, { epochs: 20, learningRate: 0.02, hiddenLayers: [16], validationFraction: 0.1 }, ctx);
    expect(accuracy(await predictTable(model, data.test))).toBeGreaterThan(majorityShare(data.test, 'Species') + 0.4);
    expect(ctx.reports.map((r) => r.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const { metrics } of ctx.reports) expect(Object.keys(metrics).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(ctx.reports[19].metrics.loss).toBeLessThan(ctx.reports[0].metrics.loss);
  });

  it('holds rows out only for early stopping unless validationFraction says otherwise', async () => {
    expect([heldOutRows(120, { patience: 0 }), heldOutRows(120, { patience: 5 }), heldOutRows(120, { patience: 0, validationFraction: 0.25 })]).toEqual([0, 12, 30]);
    expect(heldOutRows(3, { patience: 0, validationFraction: 0.9 })).toBe(2);
    const ctx = makeContext();
    const model = await train(mlp, iris(), { epochs: 2, hiddenLayers: [4] }, ctx);
    expect(Object.keys(ctx.reports[0].metrics).sort()).toEqual(['accuracy', 'loss']);
    expect(model.info?.val_loss).toBeUndefined();
  });

  it('regresses miles per gallon with R² > 0.6', async () => {
    const data = cars();
    const model = await train(mlp, data, { epochs: 20, hiddenLayers: [8] });
    expect(r2(await predictTable(model, data.test))).toBeGreaterThan(0.6);
  });

  it('is deterministic by seed: same seed → same bytes and predictions, another seed → different', async () => {
    const data = iris();
    const params = { epochs: 5, hiddenLayers: [8], dropout: 0.2, seed: 7 };
    const [a, b, c] = [await train(mlp, data, params), await train(mlp, data, params), await train(mlp, data, { ...params, seed: 8 })];
    expect(Buffer.from(a.tfjs!.weightData).equals(Buffer.from(b.tfjs!.weightData))).toBe(true);
    expect(Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(b)))).toBe(true);
    expect((await predictTable(a, data.test)).objects()).toEqual((await predictTable(b, data.test)).objects());
    expect(Buffer.from(a.tfjs!.weightData).equals(Buffer.from(c.tfjs!.weightData))).toBe(false);
  });

  it('round-trips through the Model codec with identical predictions, leaking no tensors', async () => {
    const { tf } = await initTf();
    const data = iris();
    const before = tf.memory().numTensors;
    const model = await train(mlp, data, { epochs: 5, hiddenLayers: [8] });
    const decoded = Model.decode(Model.encode(model));
    expect((await predictTable(decoded, data.test)).objects()).toEqual((await predictTable(model, data.test)).objects());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early on a stalled val_loss and keeps the best weights', async () => {
    const data = iris();
    const ctx = makeContext();
    const model = await train(mlp, data, { epochs: 300, learningRate: 0.1, patience: 3, validationFraction: 0.3, hiddenLayers: [8] }, ctx);
    expect(model.info?.stoppedEarly).toBe(true);
    expect(ctx.reports.length).toBeLessThan(300);
    const best = Math.min(...ctx.reports.map((r) => r.metrics.val_loss));
    expect(model.info?.val_loss).toBe(best);
    // The restored best weights were disposed after copying: the saved model must still predict well.
    expect(accuracy(await predictTable(model, data.test))).toBeGreaterThan(0.8);
  });

  it('stops mid-training when ctx.signal aborts, throwing CancelledError', async () => {
    const { tf } = await initTf();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const ctx = makeContext({ signal: controller.signal });
    ctx.report = (step) => {
      ctx.reports.push({ step, metrics: {} });
      if (step === 2) controller.abort();
    };
    await expect(train(mlp, iris(), { epochs: 50 }, ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(ctx.reports).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('aborts within an epoch, between batches', async () => {
    // One long epoch (batch size 1 on 8 copies of penguins): a CancelledError with no epoch reported
    // can only come from the per-batch check.
    const data = penguins();
    const big = { ...data, train: data.train.concat(...Array.from({ length: 7 }, () => data.train)) };
    const controller = new AbortController();
    const ctx = makeContext({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(train(mlp, big, { epochs: 1, batchSize: 1, hiddenLayers: [64, 64] }, ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(ctx.reports).toHaveLength(0);
  });

  it('rejects a non-numeric or missing feature, naming the column and the fix', async () => {
    const data = iris();
    const withText = data.train.derive({ colour: () => 'blue' });
    await expect(train(mlp, { ...data, train: withText }, fast)).rejects.toThrow(/'colour' is not numeric.*auto-preprocess/);
    const withNull = data.train.derive({ sepal_width: (d: any) => (d.sepal_width > 3.5 ? null : d.sepal_width) });
    const err = await train(mlp, { ...data, train: withNull }, fast).catch((e) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.message).toMatch(/'sepal_width' has a missing value/);
  });
});
