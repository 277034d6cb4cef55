import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { CancelledError, DataError } from '../../core/index.ts';
import { dense, denseFromRows, toRows, type Dense } from '../../plugins/algorithms/_dense.ts';
import { fitGaussianNb, gaussianNbPredict } from '../../plugins/algorithms/_gaussian-nb.ts';
import { fitKnn, knnPredict } from '../../plugins/algorithms/_neighbors.ts';
import { buildKdTree, kdTreeNeighbours } from '../../plugins/algorithms/_neighbors-kdtree.ts';
import { nearestNeighbours } from '../../plugins/algorithms/_neighbors-search.ts';

/** Written by `python3 test/bench/sklearn/neighbors-peer.py golden test/fixtures/neighbors-golden.json`. */
const golden = JSON.parse(readFileSync(new URL('../fixtures/neighbors-golden.json', import.meta.url), 'utf8'));
const xTrain = denseFromRows(golden.xTrain as number[][]);
const xTest = denseFromRows(golden.xTest as number[][]);
const yTrain = Float64Array.from(golden.yTrain as number[]);

function expectClose(got: Dense, want: number[][], tolerance: number): void {
  expect(got.rows).toBe(want.length);
  let worst = 0;
  toRows(got).forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want[i][j])))));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/** Every training row sorted by (squared distance, index): the definition the search must meet. */
function referenceNeighbours(train: Dense, queries: Dense, k: number): number[][] {
  const d = train.cols;
  return Array.from({ length: queries.rows }, (_, q) => {
    const dist = Array.from({ length: train.rows }, (_, t) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (queries.data[q * d + j] - train.data[t * d + j]) ** 2;
      return { s, t };
    });
    return dist.sort((a, b) => a.s - b.s || a.t - b.t).slice(0, k).map((e) => e.t);
  });
}

/** Small integers in few dimensions: many rows at exactly equal distance, which must go to the lower index. */
function tiedGrid(rows: number, cols: number, seed: number): Dense {
  let s = seed;
  const m = dense(rows, cols);
  for (let i = 0; i < m.data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    m.data[i] = (s >>> 16) % 4;
  }
  return m;
}

describe('k-nearest neighbours against scikit-learn 1.2 (golden file)', () => {
  it('gives KNeighborsClassifier(5).predict_proba vote shares exactly, by k-d tree and by brute force', () => {
    const model = fitKnn(xTrain, yTrain, { k: 5, classes: 3, standardize: false });
    expect(model.tree).toBeDefined(); // 6 features: the tree, as scikit-learn's 'auto'
    expect(toRows(knnPredict(model, xTest))).toEqual(golden.knnProba);
    const { tree: _, ...brute } = model;
    expect(toRows(knnPredict(brute, xTest))).toEqual(golden.knnProba);
  });

  it('with standardize, equals StandardScaler + KNeighborsClassifier', () => {
    const model = fitKnn(xTrain, yTrain, { k: 5, classes: 3, standardize: true });
    const got = toRows(knnPredict(model, xTest));
    expect(got).toEqual(golden.knnScaledProba);
    expect(got).not.toEqual(golden.knnProba); // the features' scales really change the neighbours
  });

  it('gives KNeighborsRegressor(5).predict', () => {
    const model = fitKnn(xTrain, Float64Array.from(golden.rTrain as number[]), { k: 5, classes: 0, standardize: false });
    const got = knnPredict(model, xTest);
    expect(got.cols).toBe(1);
    expectClose(got, (golden.knnRegression as number[]).map((v) => [v]), 1e-12);
  });
});

describe('nearestNeighbours (exact search)', () => {
  it.each([
    ['3 features, ties everywhere', 3, 7],
    ['9 features (unrolled groups plus a remainder)', 9, 5],
    ['k = 1', 4, 1],
  ])('equals a full stable sort by distance: %s', (_, cols, k) => {
    // More training rows than one training block and more queries than one query block.
    const train = tiedGrid(4500, cols, 7);
    const queries = tiedGrid(302, cols, 11);
    const want = referenceNeighbours(train, queries, k);
    const rows = (index: Int32Array) => Array.from({ length: queries.rows }, (_, q) => Array.from(index.subarray(q * k, (q + 1) * k)));
    expect(rows(nearestNeighbours(train, queries, k).index)).toEqual(want);
    expect(rows(kdTreeNeighbours(buildKdTree(train, 16), train, queries, k).index)).toEqual(want);
  });

  it('stops with CancelledError when the signal is aborted', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => nearestNeighbours(tiedGrid(50, 2, 1), tiedGrid(10, 2, 2), 3, ac.signal)).toThrow(CancelledError);
    const train = tiedGrid(50, 2, 1);
    expect(() => kdTreeNeighbours(buildKdTree(train), train, tiedGrid(10, 2, 2), 3, ac.signal)).toThrow(CancelledError);
  });
});

describe('k-NN input errors', () => {
  it('refuses k above the training rows, non-finite features and a wrong feature count', () => {
    expect(() => fitKnn(xTrain, yTrain, { k: 151, classes: 3, standardize: false })).toThrow(/k = 151 exceeds the 150 training rows/);
    const bad = denseFromRows([[1, NaN], [2, 3]]);
    expect(() => fitKnn(bad, Float64Array.of(0, 1), { k: 1, classes: 2, standardize: true })).toThrow(DataError);
    const model = fitKnn(xTrain, yTrain, { k: 5, classes: 3, standardize: false });
    expect(() => knnPredict(model, denseFromRows([[1, 2]]))).toThrow(/2 features, the model was trained on 6/);
    expect(() => fitKnn(xTrain, yTrain.map((v) => v + 0.5), { k: 5, classes: 3, standardize: false })).toThrow(/class index/);
  });
});

describe('Gaussian naive Bayes against scikit-learn 1.2 (golden file)', () => {
  const nb = fitGaussianNb(xTrain, yTrain, 3, { varSmoothing: 1e-9 });

  it('learns the same priors, means and variances', () => {
    expect(Array.from(nb.prior)).toEqual(golden.nbPrior);
    expectClose(dense(3, 6, nb.mean), golden.nbMean, 1e-12);
    const variance = (golden.nbVariance as number[][]).flat();
    nb.variance.forEach((v, i) => expect(Math.abs(v - variance[i]) / variance[i]).toBeLessThan(1e-13));
  });

  it('gives GaussianNB.predict_proba within 1e-9', () => {
    expectClose(gaussianNbPredict(nb, xTest), golden.nbProba, 1e-9);
    const smoothed = fitGaussianNb(xTrain, yTrain, 3, { varSmoothing: 1e-3 });
    expectClose(gaussianNbPredict(smoothed, xTest), golden.nbSmoothedProba, 1e-9);
  });

  it('normalises in log space: rows whose likelihoods all underflow exp() still get posteriors', () => {
    const far = denseFromRows(golden.xFar as number[][]);
    expect(Math.max(...(golden.nbFarJll as number[][]).flat())).toBeLessThan(-745); // exp() of every class is 0
    expectClose(gaussianNbPredict(nb, far), golden.nbFarProba, 1e-9);
  });

  it('gives a class without training rows probability 0 and refuses a zero variance', () => {
    const y = Float64Array.from(yTrain, (v) => (v === 2 ? 0 : v)); // class 2 left empty
    for (const varSmoothing of [1e-9, 0]) {
      const probs = gaussianNbPredict(fitGaussianNb(xTrain, y, 3, { varSmoothing }), xTest);
      for (let i = 0; i < probs.rows; i++) {
        expect(probs.data[i * 3 + 2]).toBe(0);
        expect(probs.data[i * 3] + probs.data[i * 3 + 1]).toBeCloseTo(1, 12);
      }
    }
    const constant = denseFromRows([[1, 0], [1, 1], [1, 2], [1, 3]]);
    expect(() => fitGaussianNb(constant, Float64Array.of(0, 0, 1, 1), 2, { varSmoothing: 0 })).toThrow(/feature 0 is constant within class 0/);
  });
});
