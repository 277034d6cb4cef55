import { defineTask, Table, Type } from '../../core/index.ts';
import { Model, Problem, type ModelSpec } from '../kinds.ts';
import { modelSpec, trainingData } from './_training-data.ts';
import { dense } from './_dense.ts';
import { applyScaling, fitScaling } from './_features.ts';
import { fitMlp, mlpPredict, type MlpModel } from './_mlp-fit.ts';
import { mlpKernel } from './_mlp-simd.ts';
import { toSeed } from './_prng.ts';
import { defineAlgorithm } from './define-algorithm.ts';

/** What an MLP stores: the network, the feature scaling it learned, and a regression target's scaling. */
interface MlpState {
  network: MlpModel;
  featureMean: Float64Array;
  featureStd: Float64Array;
  targetMean?: number;
  targetStd?: number;
}

/**
 * A multilayer perceptron with scikit-learn's MLPClassifier / MLPRegressor semantics: Adam on
 * minibatches of min(200, n), L2 `alpha`, and stopping when the held-out score (early stopping, the
 * default) or the training loss has not improved by `tol` for `nIterNoChange` epochs, at most
 * `maxIter` epochs. Unlike sklearn, a held-out loss falling by `tol` at an equal score is progress
 * too: held-out accuracy moves in steps of 1/rows and sat still on small tables (see fitMlp).
 * Features are standardised on the training rows, and so is a regression target (predictions are
 * mapped back), so a target spanning 25–346 trains like one near 0. Seeded end to end.
 * @example
 * const fit = b.add('mlp', mlp, { train: split.train, problem }, { hiddenLayers: [64, 32], maxIter: 300 });
 */
export const mlp = defineTask({
  name: 'algorithms/mlp',
  // 3: early stopping also counts a falling held-out loss as progress (iris stopped on its initial weights).
  version: 3,
  isolation: 'worker',
  params: Type.Object({
    hiddenLayers: Type.Array(Type.Integer({ minimum: 1 }), { default: [100], description: 'Units of each hidden layer, input side first.' }),
    activation: Type.Enum(['relu', 'tanh', 'logistic', 'identity'], { default: 'relu', description: 'Activation of the hidden layers.' }),
    alpha: Type.Number({ minimum: 0, default: 1e-4, description: 'L2 penalty on the weights (scikit-learn\'s alpha).' }),
    learningRate: Type.Number({ exclusiveMinimum: 0, default: 1e-3, description: "Adam's initial step size (learning_rate_init)." }),
    batchSize: Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('auto')], { default: 'auto', description: "Rows per gradient step; 'auto' = min(200, rows)." }),
    maxIter: Type.Integer({ minimum: 1, default: 200, description: 'Most epochs (passes over the training rows).' }),
    tol: Type.Number({ minimum: 0, default: 1e-4, description: 'An epoch counts as an improvement when the score or loss improves by more than this.' }),
    nIterNoChange: Type.Integer({ minimum: 1, default: 10, description: 'Stop after this many epochs without improvement.' }),
    earlyStopping: Type.Boolean({
      default: true,
      description: 'Hold out validationFraction of the rows (stratified for classifiers), stop when neither their score nor (at an equal score) their loss improves, and keep the best weights; false: stop on the training loss.',
    }),
    validationFraction: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.1, description: 'Share of rows held out for early stopping.' }),
    seed: Type.Optional(Type.Integer({ description: 'Seed for weights, shuffling and the validation split; default: the node seed.' })),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { model: Model },
  // The WebAssembly SIMD kernels group sums differently from the JS ones (about 1e-14 apart), so
  // weights trained on one differ in their last bits from weights trained on the other.
  environment: () => ({ mlpKernel: mlpKernel() }),
  async run({ train, problem }, params, ctx) {
    const data = trainingData(train, problem, 'mlp');
    const { mean: featureMean, std: featureStd } = fitScaling(data.x);
    const x = applyScaling(data.x, { mean: featureMean, std: featureStd });
    const regression = problem.task === 'regression';
    const target = regression ? targetScaling(data.y) : undefined;
    const y = target ? data.y.map((v) => (v - target.mean) / target.std) : data.y;
    const seed = toSeed(params.seed ?? ctx.seed);
    const fit = await fitMlp(x, y, { task: problem.task, classes: data.classes }, {
      hidden: params.hiddenLayers, activation: params.activation, alpha: params.alpha, learningRateInit: params.learningRate,
      batchSize: params.batchSize, maxIter: params.maxIter, tol: params.tol, nIterNoChange: params.nIterNoChange,
      earlyStopping: params.earlyStopping, validationFraction: params.validationFraction, seed, signal: ctx.signal,
      onEpoch: (epoch, m) => ctx.report(epoch, m.valScore === undefined ? { loss: m.loss } : { loss: m.loss, val_score: m.valScore }),
    });
    if (!fit.stoppedEarly) ctx.log.warn(`mlp: stopped at maxIter = ${params.maxIter} epochs before converging (tol ${params.tol}); raise maxIter`);
    ctx.log.info(`mlp: ${fit.epochs} epoch(s), loss ${fit.loss.toFixed(4)}${fit.bestValScore === undefined ? '' : `, best validation score ${fit.bestValScore.toFixed(4)}`}`);
    const state: MlpState = { network: fit.model, featureMean, featureStd, ...(target ? { targetMean: target.mean, targetStd: target.std } : {}) };
    const info = { seed, epochs: fit.epochs, loss: fit.loss, stoppedEarly: fit.stoppedEarly, bestValScore: fit.bestValScore, history: fit.history };
    return { model: modelSpec('mlp', problem, data.features, state, info, ctx) };
  },
});

/** The mlp algorithm: its task, predictor, problem types and hyperparameters. */
export const mlpAlgorithm = defineAlgorithm({
  name: 'mlp',
  task: mlp,
  supports: ['binary', 'multiclass', 'regression'],
  hyperparameters: ['hiddenLayers', 'alpha', 'learningRate', 'maxIter', 'activation', 'earlyStopping'],
  solver: 'Adam on minibatches of min(200, n) with early stopping; matrix products in WebAssembly SIMD kernels (3-4x plain loops, which beat TensorFlow.js for tabular nets: docs/benchmarks.md)',
  predict: (model: ModelSpec, x) => {
    const s = model.classical as MlpState;
    const out = mlpPredict(s.network, applyScaling(x, { mean: s.featureMean, std: s.featureStd }));
    if (model.task !== 'regression') return { probs: out };
    return { values: out.data.map((v) => v * s.targetStd! + s.targetMean!) };
  },
});

function targetScaling(y: Float64Array): { mean: number; std: number } {
  const s = fitScaling(dense(y.length, 1, y));
  return { mean: s.mean[0], std: s.std[0] };
}
