import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { fitForest } from './_forest.ts';
import { forestOutput } from './_forest-output.ts';
import { toSeed } from './_prng.ts';

/**
 * A single CART decision tree with scikit-learn's DecisionTree defaults: Gini splits for
 * classification, squared error for regression, grown until its leaves are pure unless
 * `maxDepth` / `minSamplesSplit` / `minSamplesLeaf` stop it. Every feature is searched at every
 * split, in a seeded random order that breaks ties between equally good splits (as scikit-learn's
 * `random_state` does). It is mlcycle's own CART (`_cart.ts`, shared with
 * the random forest) stored as a one-tree forest, not ml-cart, whose trees always stop at
 * `minNumSamples` rows and a gain threshold.
 * @example
 * const fit = b.add('tree', decisionTree, { train: split.train, problem }, { maxDepth: 4 });
 */
export const decisionTree = defineTask({
  name: 'algorithms/decision-tree',
  version: 3,
  isolation: 'worker',
  params: Type.Object({
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum depth; default: unlimited (grow until pure).' })),
    minSamplesSplit: Type.Integer({ minimum: 2, default: 2, description: 'A node needs at least this many rows to be split.' }),
    minSamplesLeaf: Type.Integer({ minimum: 1, default: 1, description: 'Each side of a split keeps at least this many rows.' }),
    seed: Type.Optional(Type.Integer({ description: 'Seed for the order features are searched in, which breaks ties between equally good splits; default: the node seed.' })),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    const { features, x, y, classes } = trainingData(train, problem, 'decision-tree');
    const tree = await fitForest(x, y, classes, {
      nEstimators: 1,
      maxFeatures: features.length,
      maxDepth: params.maxDepth ?? Infinity,
      minSamplesSplit: params.minSamplesSplit,
      minSamplesLeaf: params.minSamplesLeaf,
      bootstrap: false,
      seed: toSeed(params.seed ?? ctx.seed),
      nJobs: 1,
      signal: ctx.signal,
    });
    return { model: modelSpec('decision-tree', problem, features, tree, { nodes: tree.feature.length }, ctx) };
  },
});

/** The tree algorithm: its task, predictor, problem types and hyperparameters. */
export const decisionTreeAlgorithm = defineAlgorithm({
  name: 'tree',
  task: decisionTree,
  supports: ['binary', 'multiclass', 'regression'],
  hyperparameters: ['maxDepth', 'minSamplesLeaf', 'minSamplesSplit'],
  solver: 'CART: Gini / squared error, exhaustive midpoint search on presorted columns',
  predict: (model: ModelSpec, x) => forestOutput(model, x),
});
