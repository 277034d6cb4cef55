import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { predictTfjs } from './_predict-tfjs.ts';
import { trainingParams } from './_tfjs-params.ts';
import { trainTfModel } from './_tfjs-task.ts';

const { l2: _perWeightL2, ...shared } = trainingParams({ learningRate: 0.05, epochs: 100 });

/**
 * Logistic regression in TensorFlow.js: a sigmoid unit for binary problems, softmax
 * (multinomial) for multiclass. Classification problems only. Regularised as scikit-learn's
 * LogisticRegression: an L2 penalty of strength 1/C on the summed log loss, the bias unpenalised
 * (C = 1 by default; 0 or null for none), which the task maps onto tfjs' per-weight L2 on the mean
 * loss as l2 = 1 / (2·C·n) for the n fitted rows (recorded as `info.l2`).
 * @example
 * const fit = b.add('logreg', logisticRegression, { train: split.train, problem }, { C: 0.5 });
 */
export const logisticRegression = defineTask({
  name: 'algorithms/logistic-regression',
  version: 2,
  isolation: 'worker',
  params: Type.Object({
    C: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      default: 1,
      description: "Inverse L2 strength, scikit-learn's meaning (penalty ½‖W‖² against C × the summed log loss; bias not penalised); 0 or null = no penalty.",
    }),
    ...shared,
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    if (problem.task === 'regression') {
      throw new DataError('algorithms/logistic-regression fits classification problems; this one is regression: use linear-regression (linear) instead');
    }
    const arch = { algorithm: 'logistic-regression', hidden: [], activation: 'linear', dropout: 0, c: params.C };
    return { model: await trainTfModel(train, problem, params, arch, ctx) };
  },
});

/** The logreg algorithm: its task, predictor, problem types and hyperparameters. */
export const logisticRegressionAlgorithm = defineAlgorithm({
  name: 'logreg',
  task: logisticRegression,
  supports: ['binary', 'multiclass'],
  hyperparameters: ['C'],
  solver: "TensorFlow.js",
  predict: predictTfjs,
});
