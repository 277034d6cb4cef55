import { DecisionTreeClassifier, DecisionTreeRegression } from 'ml-cart';
import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { classicalData, classicalSpec } from './_classical.ts';

/**
 * A single CART decision tree (ml-cart): Gini splits for classification, squared error for regression.
 * Deterministic, so it takes no seed.
 * @example
 * const fit = b.add('tree', decisionTree, { train: split.train, problem }, { maxDepth: 4 });
 */
export const decisionTree = defineTask({
  name: 'algorithms/decision-tree',
  version: 1,
  isolation: 'worker',
  params: Type.Object({
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum depth; default: unlimited.' })),
    minNumSamples: Type.Integer({ minimum: 1, default: 3, description: 'A node with this many rows or fewer becomes a leaf.' }),
    gainThreshold: Type.Number({ minimum: 0, default: 0.01, description: 'Smallest Gini gain worth a split (classification).' }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    const { features, x, y } = classicalData(train, problem, 'decision-tree');
    const options = { maxDepth: params.maxDepth ?? Infinity, minNumSamples: params.minNumSamples, gainThreshold: params.gainThreshold };
    const tree = problem.task === 'regression' ? new DecisionTreeRegression(options) : new DecisionTreeClassifier(options);
    tree.train(x, y);
    return { model: classicalSpec('decision-tree', problem, features, tree.toJSON(), {}, ctx) };
  },
});
