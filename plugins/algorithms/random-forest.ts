import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { classicalData, classicalSpec } from './_classical.ts';
import { toSeed } from './_prng.ts';

/**
 * A random forest (ml-random-forest): bagged CART trees, each on a seeded random subset of rows and
 * features; majority vote for classification, mean for regression.
 * @example
 * const fit = b.add('forest', randomForest, { train: split.train, problem }, { nEstimators: 200, maxDepth: 8 });
 */
export const randomForest = defineTask({
  name: 'algorithms/random-forest',
  version: 1,
  isolation: 'worker',
  params: Type.Object({
    nEstimators: Type.Integer({ minimum: 1, default: 100, description: 'Number of trees.' }),
    maxFeatures: Type.Number({
      exclusiveMinimum: 0, maximum: 1, default: 1,
      description: 'Share of features each tree sees (chosen per tree, not per split, so small shares weaken every tree).',
    }),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum depth of each tree; default: unlimited.' })),
    minNumSamples: Type.Integer({ minimum: 1, default: 3, description: 'A node with this many rows or fewer becomes a leaf.' }),
    seed: Type.Optional(Type.Integer({ description: 'Seed for row and feature sampling; default: the node seed.' })),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    const { features, x, y } = classicalData(train, problem, 'random-forest');
    const seed = toSeed(params.seed ?? ctx.seed);
    const options = {
      nEstimators: params.nEstimators,
      maxFeatures: featureShare(params.maxFeatures, features.length),
      replacement: false,
      seed,
      useSampleBagging: true,
      // Out-of-bag bookkeeping is quadratic in rows in ml-random-forest and nothing here reads it.
      noOOB: true,
      treeOptions: { maxDepth: params.maxDepth ?? Infinity, minNumSamples: params.minNumSamples },
    };
    const forest = problem.task === 'regression' ? new RandomForestRegression(options as any) : new RandomForestClassifier(options as any);
    forest.train(x, y);
    return { model: classicalSpec('random-forest', problem, features, forest.toJSON(), { seed, nEstimators: params.nEstimators }, ctx) };
  },
});

/**
 * ml-random-forest reads maxFeatures in (0, 1] as a share and an integer above 1 as a count, so a
 * count of 1 would mean "all". Hand it a share that floors to exactly the wanted count instead.
 */
function featureShare(share: number, features: number): number {
  const count = Math.max(1, Math.round(share * features));
  return count >= features ? 1 : (count + 0.5) / features;
}
