import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { fitKnn, knnPredict, type KnnModel } from './_neighbors.ts';
import { defineAlgorithm } from './define-algorithm.ts';

/**
 * k-nearest neighbours (Euclidean, exact search): the share of each class among the k nearest
 * training rows for classification (scikit-learn's uniform weights), their mean for regression.
 * Equal distances go to the earlier training row.
 * @example
 * const fit = b.add('knn', knn, { train: split.train, problem }, { k: 7 });
 */
export const knn = defineTask({
  name: 'algorithms/knn',
  version: 2,
  isolation: 'worker',
  params: Type.Object({
    k: Type.Integer({ minimum: 1, default: 5, description: 'Number of neighbours that vote.' }),
    standardize: Type.Boolean({
      default: true,
      description: 'Scale features to mean 0, sd 1 first, so that a feature in grams does not drown one in millimetres.',
    }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    const { features, x, y, classes } = trainingData(train, problem, 'knn');
    const model = fitKnn(x, y, { k: params.k, classes, standardize: params.standardize });
    return { model: modelSpec('knn', problem, features, model, { k: params.k }, ctx) };
  },
});

/** The knn algorithm: its task, predictor, problem types and hyperparameters. */
export const knnAlgorithm = defineAlgorithm({
  name: 'knn',
  task: knn,
  supports: ['binary', 'multiclass', 'regression'],
  hyperparameters: ['k', 'standardize'],
  solver: 'exact search: brute-force distances in WebAssembly SIMD (k-d tree below 16 features); the model keeps the training rows',
  predict: (model: ModelSpec, x, o) => {
    const out = knnPredict(model.classical as KnnModel, x, o);
    return model.task === 'regression' ? { values: out.data } : { probs: out };
  },
});
