import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { predictTfjs } from './_predict-tfjs.ts';
import { trainingParams } from './_tfjs-params.ts';
import { trainTfModel } from './_tfjs-task.ts';

/**
 * Linear regression (least squares by gradient descent in TensorFlow.js, optional L2 = ridge).
 * Regression problems only.
 * @example
 * const fit = b.add('linear', linearRegression, { train: split.train, problem }, { epochs: 200 });
 */
export const linearRegression = defineTask({
  name: 'algorithms/linear-regression',
  version: 1,
  isolation: 'worker',
  params: Type.Object({ ...trainingParams({ learningRate: 0.05, epochs: 100 }) }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    if (problem.task !== 'regression') {
      throw new DataError(`algorithms/linear-regression fits regression problems; this one is '${problem.task}': use logistic-regression (logreg) instead`);
    }
    return { model: await trainTfModel(train, problem, params, { algorithm: 'linear-regression', hidden: [], activation: 'linear', dropout: 0 }, ctx) };
  },
});

/** The linear algorithm: its task, predictor, problem types and hyperparameters. */
export const linearRegressionAlgorithm = defineAlgorithm({
  name: 'linear',
  task: linearRegression,
  supports: ['regression'],
  hyperparameters: ['learningRate'],
  solver: "TensorFlow.js",
  predict: predictTfjs,
});
