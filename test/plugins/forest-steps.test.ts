/**
 * The forest reports one step per batch of trees (step = trees so far, val_score = their out-of-bag
 * score), so a sweep's pruner can stop it early; the trees themselves do not change. The last score
 * is checked against an out-of-bag score computed here from the model's trees, by replaying each
 * tree's bootstrap from its seed.
 */
import { describe, expect, it } from '@jest/globals';
import { predictTree } from '../../plugins/algorithms/_cart.ts';
import type { Dense } from '../../plugins/algorithms/_dense.ts';
import { classIndices, featureDense, featureNames, targetValues } from '../../plugins/algorithms/_features.ts';
import { fitForest, forestTree, type ForestModel, type ForestOptions } from '../../plugins/algorithms/_forest.ts';
import { reportEvery } from '../../plugins/algorithms/_forest-oob.ts';
import { treeSeed } from '../../plugins/algorithms/_forest-tree.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';
import { randomForest } from '../../plugins/algorithms/random-forest.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { cars, penguins, type Dataset } from './algorithms-data.ts';

function prepare(ds: Dataset) {
  const features = featureNames(ds.train, ds.problem);
  const y = Float64Array.from(ds.problem.task === 'regression' ? targetValues(ds.train, ds.problem) : classIndices(ds.train, ds.problem));
  return { x: featureDense(ds.train, features), y, classes: ds.problem.classes?.length ?? 0, d: features.length };
}

const base: ForestOptions = { nEstimators: 25, maxFeatures: 2, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, bootstrap: true, seed: 11 };

async function fitWithSteps(x: Dense, y: Float64Array, classes: number, o: ForestOptions & { nJobs: number }) {
  const steps: Array<[number, number | undefined]> = [];
  const model = await fitForest(x, y, classes, { ...o, onProgress: (trees, score) => steps.push([trees, score]) });
  return { model, steps };
}

/**
 * scikit-learn's oob_score_, written out from scratch: row i's out-of-bag prediction sums the leaf
 * values of the trees whose bootstrap (n seeded draws, replayed here) never drew it; rows no tree
 * left out are not scored.
 */
function independentOob(model: ForestModel, x: Dense, y: Float64Array, classes: number, seed: number): number {
  const n = x.rows;
  const trees = model.treeStart.length - 1;
  const k = Math.max(1, classes);
  const sums = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  const votes = new Array<number>(n).fill(0);
  for (let t = 0; t < trees; t++) {
    const rand = prng(treeSeed(seed, t));
    const drawn = new Set<number>();
    for (let i = 0; i < n; i++) drawn.add(Math.floor(rand() * n));
    const tree = forestTree(model, t);
    for (let i = 0; i < n; i++) {
      if (drawn.has(i)) continue;
      predictTree(tree, x.data.subarray(i * x.cols, (i + 1) * x.cols)).forEach((v, c) => (sums[i][c] += v));
      votes[i]++;
    }
  }
  const rows = [...Array(n).keys()].filter((i) => votes[i] > 0);
  if (classes) return rows.filter((i) => sums[i].indexOf(Math.max(...sums[i])) === y[i]).length / rows.length;
  const mean = rows.reduce((s, i) => s + y[i], 0) / rows.length;
  const res = rows.reduce((s, i) => s + (y[i] - sums[i][0] / votes[i]) ** 2, 0);
  const tot = rows.reduce((s, i) => s + (y[i] - mean) ** 2, 0);
  return 1 - res / tot;
}

describe('forest step reports', () => {
  it('classification: steps rise by a tenth of the trees to nEstimators; val_score is the OOB accuracy', async () => {
    const { x, y, classes } = prepare(penguins());
    const { model, steps } = await fitWithSteps(x, y, classes, { ...base, nJobs: 1 });
    expect(reportEvery(25)).toBe(3);
    expect(steps.map(([t]) => t)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 25]);
    for (const [, score] of steps) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    const last = steps[steps.length - 1][1]!;
    expect(last).toBeCloseTo(independentOob(model, x, y, classes, base.seed), 12);
    // Penguins are easy: an honest OOB accuracy is high but not the training accuracy of 1.
    expect(last).toBeGreaterThan(0.9);
    // Each step is the OOB score of the trees so far: the first, of 3 trees, checked from scratch too.
    const first = await fitForest(x, y, classes, { ...base, nEstimators: 3, nJobs: 1 });
    expect(steps[0][1]).toBeCloseTo(independentOob(first, x, y, classes, base.seed), 12);
  });

  it('regression: val_score is the OOB R²', async () => {
    const { x, y, d } = prepare(cars());
    const { model, steps } = await fitWithSteps(x, y, 0, { ...base, nEstimators: 40, maxFeatures: d, nJobs: 1 });
    expect(steps.map(([t]) => t)).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 40]);
    const last = steps[steps.length - 1][1]!;
    expect(last).toBeCloseTo(independentOob(model, x, y, 0, base.seed), 12);
    expect(last).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(1);
  });

  it('reporting changes no tree, and reports the same steps and values on any thread count', async () => {
    const { x, y, classes } = prepare(penguins());
    const plain = await fitForest(x, y, classes, { ...base, nJobs: 1 });
    const one = await fitWithSteps(x, y, classes, { ...base, nJobs: 1 });
    const two = await fitWithSteps(x, y, classes, { ...base, nJobs: 2 });
    for (const m of [one.model, two.model]) {
      for (const key of ['treeStart', 'feature', 'threshold', 'left', 'right', 'value'] as const) expect(m[key]).toEqual(plain[key]);
    }
    expect(two.steps).toEqual(one.steps);
  });

  it('without bootstrap there is no out-of-bag score: steps come without one, and the task reports none', async () => {
    const { x, y, classes } = prepare(penguins());
    const { steps } = await fitWithSteps(x, y, classes, { ...base, nEstimators: 4, bootstrap: false, nJobs: 1 });
    expect(steps).toEqual([[1, undefined], [2, undefined], [3, undefined], [4, undefined]]);
    const ds = penguins();
    const ctx = makeContext();
    await runTask(randomForest, { train: ds.train, problem: ds.problem }, { nEstimators: 4, bootstrap: false, nJobs: 1 }, ctx);
    expect(ctx.reports).toEqual([]);
  });

  it('the task reports { val_score } at each step through ctx.report', async () => {
    const ds = penguins();
    const ctx = makeContext();
    await runTask(randomForest, { train: ds.train, problem: ds.problem }, { nEstimators: 30, seed: 3, nJobs: 2 }, ctx);
    expect(ctx.reports.map((r) => r.step)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    for (const r of ctx.reports) {
      expect(Object.keys(r.metrics)).toEqual(['val_score']);
      expect(r.metrics.val_score).toBeGreaterThan(0.5);
      expect(r.metrics.val_score).toBeLessThanOrEqual(1);
    }
  });
});
