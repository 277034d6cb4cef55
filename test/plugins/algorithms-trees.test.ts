import { describe, expect, it } from '@jest/globals';
import { CancelledError, DataError } from '../../core/index.ts';
import { cartData, growTree, leafOf, predictTree, type CartTree } from '../../plugins/algorithms/_cart.ts';
import { dense, denseFromRows, type Dense } from '../../plugins/algorithms/_dense.ts';
import { classIndices, featureDense, featureNames, targetValues } from '../../plugins/algorithms/_features.ts';
import { featureCount, fitForest, forestPredict, forestTree, type ForestModel, type ForestOptions } from '../../plugins/algorithms/_forest.ts';
import { forestFromLegacy } from '../../plugins/algorithms/_forest-legacy.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';
import { cars, iris, penguins, type Dataset } from './algorithms-data.ts';

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const ones = (n: number) => new Float64Array(n).fill(1);
const options = { maxFeatures: 1, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, rand: prng(0) };
const data = (rows: number[][], y: number[], classes: number) => cartData(denseFromRows(rows), Float64Array.from(y), classes);

/** A dataset's train and test rows as Dense matrices with class indices or values. */
function prepare(ds: Dataset) {
  const features = featureNames(ds.train, ds.problem);
  const target = (t: typeof ds.train) => Float64Array.from(ds.problem.task === 'regression' ? targetValues(t, ds.problem) : classIndices(t, ds.problem));
  return {
    x: featureDense(ds.train, features), y: target(ds.train),
    xTest: featureDense(ds.test, features), yTest: target(ds.test),
    classes: ds.problem.classes?.length ?? 0, d: features.length,
  };
}

const forestDefaults: ForestOptions = { nEstimators: 100, maxFeatures: 2, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, bootstrap: true, seed: 0 };
const oneTree = (d: number, extra: Partial<ForestOptions> = {}): ForestOptions & { nJobs: number } =>
  ({ ...forestDefaults, nEstimators: 1, maxFeatures: d, bootstrap: false, nJobs: 1, ...extra });

function accuracy(p: Dense, y: Float64Array): number {
  let hits = 0;
  for (let i = 0; i < p.rows; i++) {
    const row = Array.from(p.data.subarray(i * p.cols, (i + 1) * p.cols));
    if (row.indexOf(Math.max(...row)) === y[i]) hits++;
  }
  return hits / p.rows;
}

function r2(p: Dense, y: Float64Array): number {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const res = y.reduce((s, v, i) => s + (v - p.data[i]) ** 2, 0);
  return 1 - res / y.reduce((s, v) => s + (v - mean) ** 2, 0);
}

function depth(tree: CartTree, node = 0): number {
  return tree.feature[node] < 0 ? 0 : 1 + Math.max(depth(tree, tree.left[node]), depth(tree, tree.right[node]));
}

const rowOf = (x: Dense, i: number) => x.data.subarray(i * x.cols, (i + 1) * x.cols);
const trees = (m: ForestModel) => Array.from({ length: m.treeStart.length - 1 }, (_, t) => forestTree(m, t));

describe('_cart', () => {
  it('splits at the midpoint that separates the classes, with pure leaves', () => {
    const tree = growTree(data([[1], [2], [3], [4]], [0, 0, 1, 1], 2), all(4), ones(4), options);
    expect(Array.from(tree.feature)).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(2.5);
    expect(predictTree(tree, [2.4])).toEqual([1, 0]);
    expect(predictTree(tree, [2.6])).toEqual([0, 1]);
  });

  it('regresses with squared error: leaves hold weighted means, and weights count like repeated rows', () => {
    const stump = growTree(data([[0], [1], [10], [11]], [1, 3, 10, 12], 0), all(4), Float64Array.from([1, 3, 1, 1]), { ...options, maxDepth: 1 });
    expect(stump.threshold[0]).toBe(5.5);
    expect(predictTree(stump, [0])).toEqual([(1 + 3 * 3) / 4]);
    expect(predictTree(stump, [12])).toEqual([11]);
  });

  it('does not split on a feature that is constant in the node, and stops on identical rows', () => {
    const tree = growTree(data([[5, 1], [5, 2], [5, 3], [5, 3]], [0, 0, 1, 0], 2), all(4), ones(4), { ...options, maxFeatures: 1 });
    expect(new Set(tree.feature.filter((f) => f >= 0))).toEqual(new Set([1]));
    expect(predictTree(tree, [5, 3])).toEqual([0.5, 0.5]);
  });

  it('grows on the given rows only: rows outside `samples` do not count', () => {
    const tree = growTree(data([[1], [2], [3], [4]], [0, 1, 1, 1], 2), Int32Array.of(1, 2, 3), ones(4), options);
    expect(Array.from(tree.feature)).toEqual([-1]);
    expect(predictTree(tree, [1])).toEqual([0, 1]);
  });

  it('featureCount follows scikit-learn: sqrt and all by task, log2, shares and counts', () => {
    expect([featureCount('auto', 9, false), featureCount('auto', 9, true)]).toEqual([3, 9]);
    expect([featureCount('sqrt', 8, false), featureCount('log2', 9, false), featureCount('all', 4, false)]).toEqual([2, 3, 4]);
    expect([featureCount(0.5, 9, true), featureCount(0.01, 9, true), featureCount(1, 9, true), featureCount(20, 9, true)]).toEqual([4, 1, 1, 9]);
    expect(() => featureCount(2.5, 9, true)).toThrow(/whole count/);
  });
});

describe('a single tree equals scikit-learn 1.2 DecisionTree*(max_depth=3) node for node', () => {
  it('cars, squared error: features, thresholds and leaf means', async () => {
    const { x, y, d } = prepare(cars());
    const tree = forestTree(await fitForest(x, y, 0, oneTree(d, { maxDepth: 3 })), 0);
    // sklearn's tree_.feature / threshold / value (pre-order; -2 marks its leaves, ours -1).
    expect(Array.from(tree.feature)).toEqual([1, 0, 1, -1, -1, 1, -1, -1, 0, 0, -1, -1, 1, -1, -1]);
    expect(Array.from(tree.threshold).filter((_, i) => tree.feature[i] >= 0)).toEqual([3018, 84.5, 2149.5, 3009, 127.5, 82.5, 4361.5]);
    const sklearnValues = [23.402721088435367, 28.479640718562877, 31.390624999999996, 33.2074074074074, 29.05476190476191, 24.543661971830986,
      24.351428571428567, 38.0, 16.72677165354331, 19.77777777777778, 24.914285714285715, 19.01276595744681, 14.469863013698633, 15.329166666666666, 12.82];
    Array.from(tree.value).forEach((v, i) => expect(v).toBeCloseTo(sklearnValues[i], 10));
  });

  it('penguins, Gini: features and thresholds (sklearn rounds through float32)', async () => {
    const { x, y, classes, d } = prepare(penguins());
    const tree = forestTree(await fitForest(x, y, classes, oneTree(d, { maxDepth: 3 })), 0);
    expect(Array.from(tree.feature)).toEqual([2, 0, 1, -1, -1, 3, -1, -1, 1, -1, 1, -1, -1]);
    const thresholds = Array.from(tree.threshold).filter((_, i) => tree.feature[i] >= 0);
    [206.5, 42.25, 16.65000057220459, 4062.5, 18.0, 18.949999809265137].forEach((t, i) => expect(thresholds[i]).toBeCloseTo(t, 5));
  });
});

describe('fitForest / forestPredict', () => {
  it('draws features at every split: with maxFeatures 1 one tree splits on several features', async () => {
    const { x, y, classes } = prepare(penguins());
    const model = await fitForest(x, y, classes, { ...forestDefaults, nEstimators: 10, maxFeatures: 1, seed: 3, nJobs: 1 });
    // Per-tree sampling (ml-random-forest) would give every tree exactly one split feature.
    for (const tree of trees(model)) expect(new Set(tree.feature.filter((f) => f >= 0)).size).toBeGreaterThan(1);
    expect(new Set(trees(model).map((t) => t.feature[0])).size).toBeGreaterThan(1);
  });

  it("probabilities are the mean of the trees' leaf shares, so they are not just vote counts", async () => {
    const { x, y, xTest, classes } = prepare(iris());
    const model = await fitForest(x, y, classes, { ...forestDefaults, nEstimators: 3, seed: 5, minSamplesLeaf: 5, nJobs: 1 });
    const out = forestPredict(model, xTest);
    expect([out.rows, out.cols]).toEqual([xTest.rows, 3]);
    for (let i = 0; i < xTest.rows; i++) {
      const mean = [0, 1, 2].map((c) => trees(model).reduce((s, t) => s + predictTree(t, rowOf(xTest, i))[c], 0) / 3);
      expect(Array.from(out.data.subarray(i * 3, i * 3 + 3))).toEqual(mean);
    }
    expect(new Set(out.data).size).toBeGreaterThan(3); // shares such as 0.93, not only thirds
  });

  it('respects maxDepth and minSamplesLeaf, and without bootstrap and with all features every tree is the same', async () => {
    const { x, y, classes } = prepare(iris());
    const shallow = await fitForest(x, y, classes, { ...forestDefaults, nEstimators: 5, maxDepth: 2, nJobs: 1 });
    for (const t of trees(shallow)) expect(depth(t)).toBeLessThanOrEqual(2);
    const leafy = await fitForest(x, y, classes, { ...forestDefaults, nEstimators: 5, minSamplesLeaf: 8, bootstrap: false, nJobs: 1 });
    for (const t of trees(leafy)) {
      const counts = new Map<number, number>();
      for (let i = 0; i < x.rows; i++) counts.set(leafOf(t, rowOf(x, i)), (counts.get(leafOf(t, rowOf(x, i))) ?? 0) + 1);
      expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(8);
    }
    const plain = trees(await fitForest(x, y, classes, { ...forestDefaults, nEstimators: 3, bootstrap: false, maxFeatures: 4, nJobs: 1 }));
    // Equal trees up to which of two equally good features a tie picked: same predictions on every row.
    const predictions = (t: CartTree) => Array.from({ length: x.rows }, (_, i) => predictTree(t, rowOf(x, i)));
    for (const t of plain) expect(predictions(t)).toEqual(predictions(plain[0]));
  });

  it('matches scikit-learn on the holdouts (sklearn 1.2, seeds 0-2: forest iris 0.947-0.974, penguins 0.977, cars R² 0.716-0.718)', async () => {
    for (const [ds, sklearn] of [[iris(), 0.947], [penguins(), 0.977]] as const) {
      const { x, y, xTest, yTest, classes, d } = prepare(ds);
      const forest = await fitForest(x, y, classes, { ...forestDefaults, maxFeatures: featureCount('sqrt', d, false), nJobs: 1 });
      expect(accuracy(forestPredict(forest, xTest), yTest)).toBeGreaterThanOrEqual(sklearn - 0.015);
    }
    const { x, y, xTest, yTest, d } = prepare(cars());
    const forest = await fitForest(x, y, 0, { ...forestDefaults, maxFeatures: d, nJobs: 1 });
    expect(r2(forestPredict(forest, xTest), yTest)).toBeGreaterThan(0.7);
    // sklearn's fully grown DecisionTreeRegressor: R² 0.473-0.485 on this holdout.
    expect(r2(forestPredict(await fitForest(x, y, 0, oneTree(d)), xTest), yTest)).toBeGreaterThan(0.45);
  });

  it('a fully grown tree fits its training rows', async () => {
    const { x, y, classes, d } = prepare(iris());
    expect(accuracy(forestPredict(await fitForest(x, y, classes, oneTree(d)), x), y)).toBe(1);
  });

  it('is the same forest, byte for byte, whether grown on the main thread or on 2 or 3 workers', async () => {
    const { x, y, classes } = prepare(penguins());
    const fit = (nJobs: number) => fitForest(x, y, classes, { ...forestDefaults, nEstimators: 12, seed: 7, nJobs });
    const [one, two, three] = [await fit(1), await fit(2), await fit(3)];
    for (const other of [two, three]) {
      expect(other.treeStart).toEqual(one.treeStart);
      for (const key of ['feature', 'threshold', 'left', 'right', 'value'] as const) {
        expect(Buffer.from(other[key].buffer).equals(Buffer.from(one[key].buffer))).toBe(true);
      }
    }
    // Different trees (own seeds), not one tree repeated.
    expect(new Set(trees(one).map((t) => t.threshold.join())).size).toBe(12);
  });

  it('an aborted signal stops the fit with CancelledError, on workers and on the main thread', async () => {
    const { x, y } = prepare(cars());
    const big = { ...forestDefaults, nEstimators: 5000, maxFeatures: 2 };
    const controller = new AbortController();
    const pending = fitForest(x, y, 0, { ...big, nJobs: 2, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    const local = new AbortController();
    const onMain = fitForest(x, y, 0, { ...big, nJobs: 1, signal: local.signal });
    setTimeout(() => local.abort(), 50);
    await expect(onMain).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects missing values and out-of-range class indices with a DataError naming the row', async () => {
    const x = dense(2, 1, Float64Array.of(1, NaN));
    await expect(fitForest(x, Float64Array.of(0, 1), 2, oneTree(1))).rejects.toThrow(DataError);
    await expect(fitForest(x, Float64Array.of(0, 1), 2, oneTree(1))).rejects.toThrow(/row 1/);
    await expect(fitForest(dense(2, 1, Float64Array.of(1, 2)), Float64Array.of(0, 2), 2, oneTree(1))).rejects.toThrow(/class index 0..1/);
  });
});

describe('forestFromLegacy', () => {
  it('predicts a model saved in the older per-node mlcycle-cart format as it did', () => {
    const legacy = {
      format: 'mlcycle-cart' as const,
      trees: [
        { feature: [0, -1, -1], threshold: [2.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [[], [1, 0], [0, 1]] },
        { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [[0.5, 0.5]] },
      ],
    };
    const out = forestPredict(forestFromLegacy(legacy), denseFromRows([[1], [3]]));
    expect(Array.from(out.data)).toEqual([0.75, 0.25, 0.25, 0.75]);
  });
});
