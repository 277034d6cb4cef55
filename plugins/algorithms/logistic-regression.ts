import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { fitLogistic, predictLogistic } from './_logistic-fit.ts';
import { defineAlgorithm } from './define-algorithm.ts';

/** What a logistic model stores: one coefficient row (binary) or one per class, row-major. */
interface LogisticState {
  coef: Float64Array;
  intercept: Float64Array;
}

/**
 * Logistic regression as scikit-learn's LogisticRegression (L2, lbfgs): one sigmoid row for binary
 * problems, a multinomial softmax for multiclass; minimises C·Σ log loss + ½‖W‖² (intercepts
 * unpenalised) by L-BFGS to a gradient tolerance, so the same data give scikit-learn's coefficients.
 * Classification problems only.
 * @example
 * const fit = b.add('logreg', logisticRegression, { train: split.train, problem }, { C: 0.5 });
 */
export const logisticRegression = defineTask({
  name: 'algorithms/logistic-regression',
  version: 3,
  isolation: 'worker',
  params: Type.Object({
    C: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], {
      default: 1,
      description: "Inverse L2 strength, scikit-learn's meaning (penalty ½‖W‖² against C × the summed log loss; intercepts not penalised); null = no penalty.",
    }),
    maxIter: Type.Integer({ minimum: 1, default: 1000, description: 'L-BFGS iteration cap; reaching it logs a warning (the model is kept).' }),
    tol: Type.Number({
      exclusiveMinimum: 0, default: 1e-6,
      description: "Stop when every gradient component of the mean objective is at most this (1e-6 lands within ~1e-5 of the optimum, closer than scikit-learn's own default stop).",
    }),
    fitIntercept: Type.Boolean({ default: true, description: 'Fit an intercept per class (unpenalised).' }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    if (problem.task === 'regression') {
      throw new DataError('algorithms/logistic-regression fits classification problems; this one is regression: use linear-regression (linear) instead');
    }
    const { features, x, y, classes } = trainingData(train, problem, 'logistic-regression');
    const fit = fitLogistic(x, Int32Array.from(y), classes, {
      C: params.C, tol: params.tol, maxIter: params.maxIter, fitIntercept: params.fitIntercept, signal: ctx.signal,
      onIteration: (it, loss) => { if (it % 10 === 0) ctx.report(it, { loss }); },
    });
    if (!fit.converged) ctx.log.warn(`logistic-regression: not converged after ${fit.iterations} iterations (tol ${params.tol}); raise maxIter or lower C`);
    ctx.log.info(`logistic-regression: L-BFGS, ${fit.iterations} iteration(s), objective ${fit.loss.toPrecision(6)}`);
    const state: LogisticState = { coef: fit.coef, intercept: fit.intercept };
    const info = { solver: 'lbfgs', iterations: fit.iterations, converged: fit.converged, loss: fit.loss };
    return { model: modelSpec('logistic-regression', problem, features, state, info, ctx) };
  },
});

/** The logreg algorithm: its task, predictor, problem types and hyperparameters. */
export const logisticRegressionAlgorithm = defineAlgorithm({
  name: 'logreg',
  task: logisticRegression,
  supports: ['binary', 'multiclass'],
  hyperparameters: ['C', 'maxIter'],
  solver: 'L-BFGS to a gradient tolerance (binary: one sigmoid row; multiclass: multinomial softmax)',
  predict: (model: ModelSpec, x) => ({ probs: predictLogistic(model.classical as LogisticState, x) }),
});
