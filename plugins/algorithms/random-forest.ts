import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { featureCount, fitForest } from './_forest.ts';
import { forestOutput } from './_forest-output.ts';
import { toSeed } from './_prng.ts';

/**
 * A random forest as scikit-learn's RandomForestClassifier / RandomForestRegressor: each tree is
 * grown on a seeded bootstrap sample and draws a fresh random subset of `maxFeatures` features at
 * every split; probabilities are the mean of the trees' leaf class shares, regression the mean of
 * their leaves. The trees are mlcycle's own CART (`_cart.ts`), grown on `nJobs` worker threads;
 * the model's bytes do not depend on how many. With bootstrap on, it reports a step per batch of
 * about a tenth of its trees (step = trees grown so far, `val_score` = their out-of-bag accuracy or
 * R², as scikit-learn's `oob_score_`), which a sweep's pruner reads.
 * @example
 * const fit = b.add('forest', randomForest, { train: split.train, problem }, { nEstimators: 200, maxDepth: 8 });
 */
export const randomForest = defineTask({
  name: 'algorithms/random-forest',
  version: 3,
  isolation: 'worker',
  params: Type.Object({
    nEstimators: Type.Integer({ minimum: 1, default: 100, description: 'Number of trees.' }),
    maxFeatures: Type.Union([Type.Enum(['auto', 'sqrt', 'log2', 'all']), Type.Number({ exclusiveMinimum: 0 })], {
      default: 'auto',
      description:
        "Features drawn at random at every split: 'sqrt' or 'log2' of the feature count, 'all', a share in (0, 1), or a whole count; " +
        "'auto' = 'sqrt' for classification, 'all' for regression (scikit-learn's defaults).",
    }),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum depth of each tree; default: unlimited (grow until pure).' })),
    minSamplesSplit: Type.Integer({ minimum: 2, default: 2, description: 'A node needs at least this many (distinct) rows to be split.' }),
    minSamplesLeaf: Type.Integer({ minimum: 1, default: 1, description: 'Each side of a split keeps at least this many (distinct) rows.' }),
    bootstrap: Type.Boolean({ default: true, description: 'Grow each tree on a bootstrap sample of the rows (false: all rows, randomness only from feature draws).' }),
    seed: Type.Optional(Type.Integer({ description: 'Seed for bootstrap samples and feature draws; default: the node seed.' })),
    nJobs: Type.Optional(Type.Integer({
      minimum: 1,
      description: "Threads growing the trees; default: the cores this node may use (TaskContext.threads). The model's bytes are the same for any value.",
    })),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    const { features, x, y, classes } = trainingData(train, problem, 'random-forest');
    const regression = problem.task === 'regression';
    const seed = toSeed(params.seed ?? ctx.seed);
    const maxFeatures = featureCount(params.maxFeatures as 'auto' | number, features.length, regression);
    const nJobs = params.nJobs ?? ctx.threads;
    const forest = await fitForest(x, y, classes, {
      nEstimators: params.nEstimators,
      maxFeatures,
      maxDepth: params.maxDepth ?? Infinity,
      minSamplesSplit: params.minSamplesSplit,
      minSamplesLeaf: params.minSamplesLeaf,
      bootstrap: params.bootstrap,
      seed,
      nJobs,
      signal: ctx.signal,
      // One step per batch of trees, so a sweep's pruner can stop a forest that scores badly early.
      onProgress: (trees, oob) => {
        if (oob !== undefined) ctx.report(trees, { val_score: oob });
      },
    });
    ctx.log.info(`random-forest: ${params.nEstimators} trees, ${forest.feature.length} nodes, on ${Math.min(nJobs, params.nEstimators)} thread(s)`);
    const info = { seed, nEstimators: params.nEstimators, maxFeatures };
    return { model: modelSpec('random-forest', problem, features, forest, info, ctx) };
  },
});

/** The forest algorithm: its task, predictor, problem types and hyperparameters. */
export const randomForestAlgorithm = defineAlgorithm({
  name: 'forest',
  task: randomForest,
  supports: ['binary', 'multiclass', 'regression'],
  hyperparameters: ['nEstimators', 'maxDepth', 'maxFeatures', 'minSamplesLeaf'],
  solver: "CART trees (Gini / squared error, presorted columns) on bootstrap samples with per-split feature draws, grown on worker threads",
  predict: (model: ModelSpec, x) => forestOutput(model, x),
});

