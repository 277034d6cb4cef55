import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { fitRidge, predictLinear } from './_ridge.ts';
import { defineAlgorithm } from './define-algorithm.ts';

/** What a linear model stores: ŷ = x·coef + intercept. */
interface LinearState {
  coef: Float64Array;
  intercept: number;
}

/**
 * Linear least squares, or ridge regression with `alpha` > 0, solved in closed form as
 * scikit-learn's LinearRegression and Ridge: the intercept is fitted by centring (never penalised),
 * then (XᵀX + αI)w = Xᵀy by Cholesky; with α = 0 and collinear columns (one-hot dummies, a
 * duplicated column) the minimum-norm solution, as scipy's lstsq gives. Regression problems only.
 * @example
 * const fit = b.add('linear', linearRegression, { train: split.train, problem }, { alpha: 1 });
 */
export const linearRegression = defineTask({
  name: 'algorithms/linear-regression',
  version: 3,
  isolation: 'worker',
  params: Type.Object({
    alpha: Type.Number({ minimum: 0, default: 0, description: "L2 penalty α‖w‖² (scikit-learn Ridge's alpha); 0 = ordinary least squares." }),
    fitIntercept: Type.Boolean({ default: true, description: 'Fit an intercept (unpenalised); false fits through the origin.' }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  async run({ train, problem }, params, ctx) {
    if (problem.task !== 'regression') {
      throw new DataError(`algorithms/linear-regression fits regression problems; this one is '${problem.task}': use logistic-regression (logreg) instead`);
    }
    const { features, x, y } = trainingData(train, problem, 'linear-regression');
    const fit = fitRidge(x, y, { alpha: params.alpha, fitIntercept: params.fitIntercept });
    if (fit.rank < features.length) ctx.log.info(`linear-regression: ${features.length - fit.rank} column(s) are linear combinations of others; the minimum-norm solution is used`);
    const state: LinearState = { coef: fit.coef, intercept: fit.intercept };
    return { model: modelSpec('linear-regression', problem, features, state, { solver: params.alpha > 0 ? 'cholesky' : 'least squares', rank: fit.rank }, ctx) };
  },
});

/** The linear algorithm: its task, predictor, problem types and hyperparameters. */
export const linearRegressionAlgorithm = defineAlgorithm({
  name: 'linear',
  task: linearRegression,
  supports: ['regression'],
  hyperparameters: ['alpha'],
  solver: 'closed form: Cholesky on the centred normal equations (minimum-norm least squares when α = 0 and columns are collinear)',
  predict: (model: ModelSpec, x) => {
    const s = model.classical as LinearState;
    return { values: predictLinear(s.coef, s.intercept, x) };
  },
});
