import { describe, expect, it } from '@jest/globals';
import { Model, type ModelSpec } from '../../plugins/kinds.ts';
import { cartData, growTree, predictTree, type CartTree } from '../../plugins/algorithms/_cart.ts';
import { featureCount, type ForestJson } from '../../plugins/algorithms/_forest.ts';
import { predictTable } from '../../plugins/algorithms/_predict.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';
import { decisionTree } from '../../plugins/algorithms/decision-tree.ts';
import { randomForest } from '../../plugins/algorithms/random-forest.ts';
import { runTask } from '../helpers/task-context.ts';
import { accuracy, cars, iris, penguins, r2, type Dataset } from './algorithms-data.ts';

async function train(task: any, data: Dataset, params: Record<string, unknown> = {}) {
  return (await runTask(task, { train: data.train, problem: data.problem }, params)).model as ModelSpec;
}

const trees = (model: ModelSpec) => (model.classical as ForestJson).trees;
const splitFeatures = (tree: CartTree) => new Set(tree.feature.filter((f) => f >= 0));

function depth(tree: CartTree, node = 0): number {
  return tree.feature[node] < 0 ? 0 : 1 + Math.max(depth(tree, tree.left[node]), depth(tree, tree.right[node]));
}

/** The leaf index each row lands in. */
function leafOf(tree: CartTree, row: number[]): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = row[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const ones = (n: number) => new Float64Array(n).fill(1);
const options = { maxFeatures: 1, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, rand: prng(0) };

describe('_cart', () => {
  it('splits at the midpoint that separates the classes, with pure leaves', () => {
    const data = cartData([[1], [2], [3], [4]], [0, 0, 1, 1], 2);
    const tree = growTree(data, all(4), ones(4), options);
    expect(tree.feature).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(2.5);
    expect(predictTree(tree, [2.4])).toEqual([1, 0]);
    expect(predictTree(tree, [2.6])).toEqual([0, 1]);
  });

  it('regresses with squared error: leaves hold weighted means, and weights count like repeated rows', () => {
    const data = cartData([[0], [1], [10], [11]], [1, 3, 10, 12], 0);
    const stump = growTree(data, all(4), Float64Array.from([1, 3, 1, 1]), { ...options, maxDepth: 1 });
    expect(stump.threshold[0]).toBe(5.5);
    expect(predictTree(stump, [0])).toEqual([(1 + 3 * 3) / 4]);
    expect(predictTree(stump, [12])).toEqual([11]);
  });

  it('does not split on a feature that is constant in the node, and stops on identical rows', () => {
    const data = cartData([[5, 1], [5, 2], [5, 3], [5, 3]], [0, 0, 1, 0], 2);
    const tree = growTree(data, all(4), ones(4), { ...options, maxFeatures: 1 });
    expect(splitFeatures(tree)).toEqual(new Set([1]));
    expect(predictTree(tree, [5, 3])).toEqual([0.5, 0.5]);
  });

  it('featureCount follows scikit-learn: sqrt and all by task, log2, shares and counts', () => {
    expect([featureCount('auto', 9, false), featureCount('auto', 9, true)]).toEqual([3, 9]);
    expect([featureCount('sqrt', 8, false), featureCount('log2', 9, false), featureCount('all', 4, false)]).toEqual([2, 3, 4]);
    expect([featureCount(0.5, 9, true), featureCount(0.01, 9, true), featureCount(1, 9, true), featureCount(20, 9, true)]).toEqual([4, 1, 1, 9]);
    expect(() => featureCount(2.5, 9, true)).toThrow(/whole count/);
  });
});

describe('algorithms/random-forest on mlcycle CART', () => {
  it('draws features at every split: with maxFeatures 1 one tree splits on several features', async () => {
    const model = await train(randomForest, penguins(), { nEstimators: 10, maxFeatures: 1, seed: 3 });
    expect(model.info).toMatchObject({ library: 'mlcycle', maxFeatures: 1, nEstimators: 10 });
    // Per-tree sampling (ml-random-forest) would give every tree exactly one split feature.
    for (const tree of trees(model)) expect(splitFeatures(tree).size).toBeGreaterThan(1);
    expect(new Set(trees(model).map((t) => t.feature[0])).size).toBeGreaterThan(1);
  });

  it('defaults to √features per split for classification and all features for regression', async () => {
    expect((await train(randomForest, penguins(), { nEstimators: 2 })).info?.maxFeatures).toBe(2);
    expect((await train(randomForest, cars(), { nEstimators: 2 })).info?.maxFeatures).toBe(2);
    expect((await train(randomForest, iris(), { nEstimators: 2, maxFeatures: 'log2' })).info?.maxFeatures).toBe(2);
  });

  it('probabilities are the mean of the trees\' leaf shares, so they are not just vote counts', async () => {
    const data = iris();
    const model = await train(randomForest, data, { nEstimators: 3, seed: 5, minSamplesLeaf: 5 });
    const x = data.test.objects().map((r: any) => model.features.map((f) => r[f] as number));
    const out = (await predictTable(model, data.test)).objects() as Array<Record<string, number>>;
    x.forEach((row, i) => {
      const mean = [0, 1, 2].map((c) => trees(model).reduce((s, t) => s + predictTree(t, row)[c], 0) / 3);
      expect([out[i].prob_setosa, out[i].prob_versicolor, out[i].prob_virginica]).toEqual(mean);
    });
  });

  it('respects maxDepth and minSamplesLeaf, and without bootstrap and with all features every tree is the same', async () => {
    const data = iris();
    const shallow = await train(randomForest, data, { nEstimators: 5, maxDepth: 2 });
    for (const t of trees(shallow)) expect(depth(t)).toBeLessThanOrEqual(2);
    const x = data.train.objects().map((r: any) => shallow.features.map((f) => r[f] as number));
    const leafy = await train(randomForest, data, { nEstimators: 5, minSamplesLeaf: 8, bootstrap: false });
    for (const t of trees(leafy)) {
      const counts = new Map<number, number>();
      for (const row of x) counts.set(leafOf(t, row), (counts.get(leafOf(t, row)) ?? 0) + 1);
      expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(8);
    }
    const plain = trees(await train(randomForest, data, { nEstimators: 3, bootstrap: false, maxFeatures: 'all' }));
    // Equal trees up to which of two equally good features a tie picked: same predictions on every row.
    for (const t of plain) expect(x.map((r) => predictTree(t, r))).toEqual(x.map((r) => predictTree(plain[0], r)));
  });

  it('trains penguins × 100 trees in well under a second per fit', async () => {
    const data = penguins();
    const start = performance.now();
    const model = await train(randomForest, data);
    expect(performance.now() - start).toBeLessThan(3000);
    expect(accuracy(await predictTable(model, data.test))).toBeGreaterThan(0.95);
  });
});

describe('algorithms/decision-tree on mlcycle CART', () => {
  it('grows until pure by default (scikit-learn\'s defaults), so it fits its training rows', async () => {
    const data = iris();
    const model = await train(decisionTree, data);
    expect(accuracy(await predictTable(model, data.train))).toBe(1);
    const reg = cars();
    expect(r2(await predictTable(await train(decisionTree, reg), reg.train))).toBeGreaterThan(0.99);
  });

  it('stops at minSamplesSplit and maxDepth', async () => {
    const data = iris();
    const [full, pruned, stump] = [await train(decisionTree, data), await train(decisionTree, data, { minSamplesSplit: 20 }), await train(decisionTree, data, { maxDepth: 1 })];
    expect(trees(pruned)[0].feature.length).toBeLessThan(trees(full)[0].feature.length);
    expect(trees(stump)[0].feature.length).toBe(3);
  });

  it('is seeded (the seed only breaks ties) and round-trips through the Model codec', async () => {
    const data = cars();
    const [a, b] = [await train(decisionTree, data, { seed: 1 }), await train(decisionTree, data, { seed: 1 })];
    expect(Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(b)))).toBe(true);
    const decoded = Model.decode(Model.encode(a));
    expect((await predictTable(decoded, data.test)).objects()).toEqual((await predictTable(a, data.test)).objects());
  });
});
