import KNN from 'ml-knn';
import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { legacyPredict } from './_predict-classical.ts';
import { classicalData, classicalSpec } from './_classical.ts';
import { applyScaling, fitScaling } from './_features.ts';

/**
 * k-nearest neighbours (ml-knn's k-d tree, Euclidean): majority vote of the k nearest training rows
 * for classification, their mean for regression.
 * @example
 * const fit = b.add('knn', knn, { train: split.train, problem }, { k: 7 });
 */
export const knn = defineTask({
  name: 'algorithms/knn',
  version: 1,
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
    const { features, x, y } = classicalData(train, problem, 'knn');
    if (params.k > x.length) throw new DataError(`knn: k = ${params.k} exceeds the ${x.length} training rows; lower params.k`);
    const scaling = params.standardize ? fitScaling(x) : undefined;
    const model = new KNN(scaling ? applyScaling(x, scaling) : x, y, { k: params.k });
    return { model: classicalSpec('knn', problem, features, model.toJSON(), { k: params.k, featureScaling: scaling }, ctx) };
  },
});

/** The knn algorithm: its task, predictor, problem types and hyperparameters. */
export const knnAlgorithm = defineAlgorithm({
  name: 'knn',
  task: knn,
  supports: ['binary', 'multiclass', 'regression'],
  hyperparameters: ['k'],
  solver: "ml-knn k-d tree",
  predict: legacyPredict,
});
