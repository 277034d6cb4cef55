import { defineTask, NonRetryableError, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { trainingParams } from './_tfjs-params.ts';
import { trainTfModel } from './_tfjs-task.ts';

/**
 * Logistic regression in TensorFlow.js: a sigmoid unit for binary problems, softmax
 * (multinomial) for multiclass. Classification problems only.
 * @example
 * const fit = b.add('logreg', logisticRegression, { train: split.train, problem }, { l2: 0.001 });
 */
export const logisticRegression = defineTask({
  name: 'algorithms/logistic-regression',
  version: 1,
  isolation: 'worker',
  params: Type.Object({ ...trainingParams({ learningRate: 0.05, epochs: 100 }) }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    if (problem.task === 'regression') {
      throw new NonRetryableError('algorithms/logistic-regression fits classification problems; this one is regression: use linear-regression (linear) instead');
    }
    return { model: await trainTfModel(train, problem, params, { algorithm: 'logistic-regression', hidden: [], activation: 'linear', dropout: 0 }, ctx) };
  },
});
