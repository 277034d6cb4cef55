import { GaussianNB } from 'ml-naivebayes';
import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem } from '../kinds.ts';
import { defineAlgorithm } from './define-algorithm.ts';
import { legacyPredict } from './_predict-classical.ts';
import { classicalData, classicalSpec } from './_classical.ts';

/**
 * Gaussian naive Bayes (ml-naivebayes). Classification only.
 * @example
 * const fit = b.add('bayes', naiveBayes, { train: split.train, problem }, {});
 */
export const naiveBayes = defineTask({
  name: 'algorithms/naive-bayes',
  version: 1,
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
    const { features, x, y } = classicalData(train, problem, 'naive-bayes');
    const counts = new Array<number>(problem.classes!.length).fill(0);
    for (const c of y) counts[c]++;
    const absent = problem.classes!.filter((_, i) => counts[i] === 0);
    if (absent.length) {
      // ml-naivebayes indexes classes densely and breaks on a class with no rows.
      throw new DataError(`naive-bayes: class(es) ${absent.join(', ')} have no training rows; stratify the split or drop the class`);
    }
    const nb = new GaussianNB();
    nb.train(x, y);
    return { model: classicalSpec('naive-bayes', problem, features, smooth(nb.toJSON(), x, params.varSmoothing), {}, ctx) };
  },
});

/** Re-derives each class's Gaussian terms from a smoothed variance; ml-naivebayes stores 1/(√(2π)σ) and -2σ². */
function smooth(json: ReturnType<GaussianNB['toJSON']>, x: number[][], varSmoothing: number) {
  const n = x.length;
  const variances = x[0].map((_, j) => {
    const mean = x.reduce((s, r) => s + r[j], 0) / n;
    return x.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / n;
  });
  const epsilon = Math.max(varSmoothing * Math.max(...variances), 1e-12);
  const calculateProbabilities = json.calculateProbabilities.map(([prior, ...terms]) => [
    prior,
    ...terms.map(([, c2]) => {
      const variance = -c2 / 2 + epsilon;
      return [1 / Math.sqrt(2 * Math.PI * variance), -2 * variance];
    }),
  ]);
  return { ...json, calculateProbabilities };
}

/** The bayes algorithm: its task, predictor, problem types and hyperparameters. */
export const naiveBayesAlgorithm = defineAlgorithm({
  name: 'bayes',
  task: naiveBayes,
  supports: ['binary', 'multiclass'],
  hyperparameters: ['varSmoothing'],
  solver: "Gaussian, ml-naivebayes",
  predict: legacyPredict,
});
