import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { fitGaussianNb, gaussianNbPredict, type GaussianNbModel } from './_gaussian-nb.ts';
import { defineAlgorithm } from './define-algorithm.ts';

/**
 * Gaussian naive Bayes exactly as scikit-learn's GaussianNB: per-class means and variances (each
 * raised by `varSmoothing` × the largest feature variance), priors from class counts, posteriors in
 * log space. Classification only.
 * @example
 * const fit = b.add('bayes', naiveBayes, { train: split.train, problem }, {});
 */
export const naiveBayes = defineTask({
  name: 'algorithms/naive-bayes',
  version: 2,
  isolation: 'worker',
  params: Type.Object({
    varSmoothing: Type.Number({
      minimum: 0, default: 1e-9,
      description: "Share of the largest feature variance added to every variance (as scikit-learn's), so a constant feature cannot divide by zero.",
    }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    if (problem.task === 'regression') {
      throw new DataError('algorithms/naive-bayes is a classifier and this problem is regression: pick another algorithm (linear, mlp, forest, tree, knn)');
    }
    const { features, x, y, classes } = trainingData(train, problem, 'naive-bayes');
    const model = fitGaussianNb(x, y, classes, { varSmoothing: params.varSmoothing });
    return { model: modelSpec('naive-bayes', problem, features, model, {}, ctx) };
  },
});

/** The bayes algorithm: its task, predictor, problem types and hyperparameters. */
export const naiveBayesAlgorithm = defineAlgorithm({
  name: 'bayes',
  task: naiveBayes,
  supports: ['binary', 'multiclass'],
  hyperparameters: ['varSmoothing'],
  solver: 'closed form: per-class means and variances, one pass over the rows',
  predict: (model: ModelSpec, x) => ({ probs: gaussianNbPredict(model.classical as GaussianNbModel, x) }),
});
