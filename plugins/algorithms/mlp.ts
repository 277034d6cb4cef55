import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { predictTfjs } from './_predict-tfjs.ts';
import { trainingParams } from './_tfjs-params.ts';
import { trainTfModel } from './_tfjs-task.ts';

/**
 * A multilayer perceptron in TensorFlow.js: a classifier or a regressor as `problem.task` says.
 * Seeded end to end (weights, shuffling, dropout, validation split), so the same seed gives the same bytes.
 * @example
 * const fit = b.add('mlp', mlp, { train: split.train, problem }, { hiddenLayers: [64, 32], dropout: 0.2, patience: 10 });
 */
export const mlp = defineTask({
  name: 'algorithms/mlp',
  version: 1,
  isolation: 'worker',
  params: Type.Object({
    hiddenLayers: Type.Array(Type.Integer({ minimum: 1 }), { default: [32, 16], description: 'Units of each hidden layer, input side first.' }),
    activation: Type.Enum(['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'], { default: 'relu', description: 'Activation of the hidden layers.' }),
    dropout: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0, description: 'Dropout rate after each hidden layer (0 = none).' }),
    ...trainingParams({ learningRate: 0.01, epochs: 100 }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    const arch = { algorithm: 'mlp', hidden: params.hiddenLayers, activation: params.activation, dropout: params.dropout };
    return { model: await trainTfModel(train, problem, params, arch, ctx) };
  },
});

/** The mlp algorithm: its task, predictor, problem types and hyperparameters. */
export const mlpAlgorithm = defineAlgorithm({
  name: 'mlp',
  task: mlp,
  supports: ['binary', 'multiclass', 'regression'],
  hyperparameters: ['hiddenLayers', 'learningRate', 'epochs'],
  solver: "TensorFlow.js",
  predict: predictTfjs,
});
