import type { ColumnTable } from 'arquero';
import { DataError, type TaskContext } from '../../core/index.ts';
import type { ModelSpec, ProblemSpec } from '../kinds.ts';
import { initTf } from './_backend.ts';
import { applyScaling, classIndices, featureMatrix, featureNames, fitScaling, targetValues } from './_features.ts';
import { fitModel, heldOutRows } from './_tfjs-fit.ts';
import { buildNetwork, headFor, serialiseModel } from './_tfjs-network.ts';
import type { TrainingParams } from './_tfjs-params.ts';
import { toSeed } from './_prng.ts';

/** The architecture part of a tfjs model; training params come from `trainingParams`. */
export interface Architecture {
  algorithm: string;
  hidden: number[];
  activation: string;
  dropout: number;
  /**
   * scikit-learn's inverse L2 strength on the summed loss (logistic regression); replaces `params.l2`.
   * 0 or null: no penalty.
   */
  c?: number | null;
}

/**
 * Trains a dense tfjs network for any problem and returns its ModelSpec. Features (and a regression
 * target) are standardised on the training rows, because gradient descent on raw scales (grams next
 * to millimetres) converges badly; the scaling lives in `info` and predictTable applies it.
 * @example
 * const model = await trainTfModel(train, problem, params, { algorithm: 'mlp', hidden: [32], activation: 'relu', dropout: 0 }, ctx);
 */
export async function trainTfModel(
  train: ColumnTable, problem: ProblemSpec, params: TrainingParams, arch: Architecture, ctx: TaskContext,
): Promise<ModelSpec> {
  const { tf, backend } = await initTf();
  ctx.log.info(`${arch.algorithm}: TensorFlow.js backend '${backend}'`);
  if (train.numRows() < 2) throw new DataError(`${arch.algorithm}: the training table needs at least 2 rows, got ${train.numRows()}`);
  const features = featureNames(train, problem);
  const raw = featureMatrix(train, features);
  const featureScaling = fitScaling(raw);
  const x = applyScaling(raw, featureScaling);
  const { y, extra } = encodeTargets(train, problem);
  const head = headFor(problem.task, problem.classes?.length ?? 0);
  const seed = toSeed(params.seed ?? ctx.seed);
  const l2 = arch.c === undefined ? (params.l2 ?? 0) : penaltyFromC(arch.c, x.length - heldOutRows(x.length, params));
  const model = buildNetwork(tf, { inputs: features.length, hidden: arch.hidden, activation: arch.activation, dropout: arch.dropout, l2, head, seed });
  try {
    const summary = await fitModel(tf, model, x, y, head, params, seed, ctx);
    ctx.log.info(`${arch.algorithm}: ${summary.epochs} epoch(s), loss ${summary.loss.toFixed(4)}${summary.stoppedEarly ? ' (early stop)' : ''}`);
    return {
      algorithm: arch.algorithm,
      task: problem.task,
      target: problem.target,
      features,
      classes: problem.classes,
      tfjs: await serialiseModel(tf, model),
      info: { backend, seed, ...summary, ...(arch.c === undefined ? {} : { l2 }), featureScaling, ...extra },
    };
  } finally {
    model.dispose();
  }
}

/**
 * scikit-learn minimises C·Σ loss + ½‖W‖² (bias not penalised). Divided by C·n that is the mean loss
 * tfjs minimises plus (1 / (2·C·n))·‖W‖², and tfjs' `regularizers.l2({ l2 })` adds l2·Σw² on the
 * kernel only: so l2 = 1 / (2·C·n) for the n rows actually fitted.
 */
function penaltyFromC(c: number | null, n: number): number {
  return c ? 1 / (2 * c * n) : 0;
}

/** Targets shaped for the head: standardised value, 0/1 for the positive class, or one-hot. */
function encodeTargets(train: ColumnTable, problem: ProblemSpec): { y: number[][]; extra: Record<string, unknown> } {
  if (problem.task === 'regression') {
    const values = targetValues(train, problem);
    const s = fitScaling(values.map((v) => [v]));
    const targetScaling = { mean: s.mean[0], std: s.std[0] };
    return { y: values.map((v) => [(v - targetScaling.mean) / targetScaling.std]), extra: { targetScaling } };
  }
  const classes = problem.classes ?? [];
  const labels = classIndices(train, problem);
  if (problem.task === 'binary') {
    if (classes.length !== 2) throw new DataError(`binary problem needs exactly 2 classes, got ${JSON.stringify(classes)}`);
    const positiveClass = problem.positiveClass ?? classes[1];
    const pos = classes.indexOf(positiveClass);
    if (pos < 0) throw new DataError(`positiveClass '${positiveClass}' is not one of ${JSON.stringify(classes)}`);
    return { y: labels.map((i) => [i === pos ? 1 : 0]), extra: { positiveClass } };
  }
  return { y: labels.map((i) => classes.map((_, c) => (c === i ? 1 : 0))), extra: {} };
}
