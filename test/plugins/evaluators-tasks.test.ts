import { describe, expect, it } from '@jest/globals';
import { table } from 'arquero';
import { Table } from '../../core/index.ts';
import type { ProblemSpec } from '../../plugins/kinds.ts';
import { classification } from '../../plugins/evaluators/classification.ts';
import { crossValidation } from '../../plugins/evaluators/cross-validation.ts';
import { evaluate } from '../../plugins/evaluators/evaluate.ts';
import { regression } from '../../plugins/evaluators/regression.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

// Tables go through the Arrow codec, as between nodes in a real run.
const roundTrip = (columns: Record<string, unknown[]>) => Table.decode(Table.encode(table(columns)));

const binary: ProblemSpec = { target: 'bought', task: 'binary', metric: 'roc_auc', classes: ['no', 'yes'], positiveClass: 'yes' };
const binaryPredictions = () => roundTrip({
  predicted: ['yes', 'no', 'no', 'yes', 'yes'],
  prob_no: [0.1, 0.6, 0.8, 0.4, 0.3],
  prob_yes: [0.9, 0.4, 0.2, 0.6, 0.7],
  actual: ['yes', 'yes', 'no', 'no', 'yes'],
});
// Majority class 'no' (3 of 5), prior { no: 0.6, yes: 0.4 }.
const binaryTrain = () => roundTrip({ x: [1, 2, 3, 4, 5], bought: ['no', 'no', 'no', 'yes', 'yes'] });

describe('evaluators/evaluate on a binary problem', () => {
  it('scores the model and the prior baseline with hand-computed values', async () => {
    const { metrics, details } = await runTask(evaluate, { predictions: binaryPredictions(), train: binaryTrain(), problem: binary });
    const expected = {
      accuracy: 0.6,
      balanced_accuracy: (2 / 3 + 1 / 2) / 2,
      precision_macro: (2 / 3 + 1 / 2) / 2,
      recall_macro: (2 / 3 + 1 / 2) / 2,
      f1_macro: (2 / 3 + 1 / 2) / 2,
      roc_auc: 5 / 6,
      // -(ln .9 + ln .4 + ln .8 + ln .4 + ln .7) / 5
      log_loss: 0.503552,
      baseline_accuracy: 0.4,
      baseline_balanced_accuracy: 0.5,
      baseline_precision_macro: 0.2,
      baseline_recall_macro: 0.5,
      baseline_f1_macro: (2 * 0.4 / 1.4) / 2,
      baseline_roc_auc: 0.5,
      // -(3 ln .4 + 2 ln .6) / 5
      baseline_log_loss: 0.754105,
    };
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expect([k, metrics[k]]).toEqual([k, expect.closeTo(v, 5)]);
    expect(details.confusionMatrix).toEqual({ labels: ['no', 'yes'], matrix: [[1, 1], [1, 2]] });
    expect(details.perClass.yes).toMatchObject({ support: 3, recall: 2 / 3 });
    expect(details.roc.yes.auc).toBeCloseTo(5 / 6, 12);
    expect(details.roc.yes.points[0]).toEqual({ fpr: 0, tpr: 0, threshold: null });
  });

  it('without prob_ columns it leaves out roc_auc and log_loss; with some missing it names them', async () => {
    const noProbs = roundTrip({ predicted: ['yes', 'no'], actual: ['yes', 'yes'] });
    const { metrics } = await runTask(classification, { predictions: noProbs, train: binaryTrain(), problem: binary });
    expect(metrics.roc_auc).toBeUndefined();
    expect(metrics.log_loss).toBeUndefined();
    expect(metrics.accuracy).toBe(0.5);
    const partial = roundTrip({ predicted: ['yes'], prob_yes: [0.8], actual: ['yes'] });
    await expect(runTask(classification, { predictions: partial, train: binaryTrain(), problem: binary })).rejects.toThrow(/missing prob_no/);
  });

  it('a predictions table without `actual` fails with the columns it has', async () => {
    const bad = roundTrip({ predicted: ['yes'] });
    await expect(runTask(evaluate, { predictions: bad, train: binaryTrain(), problem: binary })).rejects.toThrow(/no column 'actual' \(columns: predicted\)/);
  });
});

describe('evaluators/evaluate on multiclass and regression problems', () => {
  it('multiclass: one-vs-rest macro AUC and per-class AUCs', async () => {
    const problem: ProblemSpec = { target: 'species', task: 'multiclass', metric: 'accuracy', classes: ['a', 'b', 'c'] };
    const predictions = roundTrip({
      predicted: ['a', 'b', 'c', 'b', 'a', 'c'],
      prob_a: [0.7, 0.2, 0.1, 0.3, 0.4, 0.2],
      prob_b: [0.2, 0.6, 0.3, 0.4, 0.4, 0.2],
      prob_c: [0.1, 0.2, 0.6, 0.3, 0.2, 0.6],
      actual: ['a', 'b', 'c', 'a', 'b', 'c'],
    });
    const train = roundTrip({ species: ['c', 'c', 'a', 'b'] });
    const { metrics, details } = await runTask(evaluate, { predictions, train, problem });
    expect(metrics.roc_auc).toBeCloseTo((7 / 8 + 7.5 / 8 + 1) / 3, 12);
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 12);
    expect(metrics.baseline_accuracy).toBeCloseTo(2 / 6, 12);
    expect(details.baseline.majorityClass).toBe('c');
    expect(details.perClass.b.roc_auc).toBeCloseTo(7.5 / 8, 12);
    expect(Object.keys(details.roc)).toEqual(['a', 'b', 'c']);
  });

  it('regression: sklearn example values, a train-mean baseline, MAPE zero rows logged', async () => {
    const problem: ProblemSpec = { target: 'y', task: 'regression', metric: 'rmse' };
    const predictions = roundTrip({ predicted: [2.5, 0, 2, 8, 1], actual: [3, -0.5, 2, 7, 0] });
    const train = roundTrip({ y: [1, 2, 3] });
    const ctx = makeContext();
    const { metrics, details } = await runTask(regression, { predictions, train, problem }, {}, ctx);
    // Five rows: the four of sklearn's example plus (actual 0, predicted 1).
    expect(metrics.mae).toBeCloseTo((0.5 + 0.5 + 0 + 1 + 1) / 5, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt((0.25 + 0.25 + 0 + 1 + 1) / 5), 12);
    expect(metrics.mape).toBeCloseTo(0.327381, 6);
    // Baseline predicts 2 everywhere: |1| + |2.5| + 0 + |5| + |2|.
    expect(metrics.baseline_mae).toBeCloseTo(10.5 / 5, 12);
    expect(details.mapeSkippedZeroActuals).toBe(1);
    expect(details.pairs).toHaveLength(5);
    expect(ctx.logs.join('\n')).toMatch(/mape: skipped 1 row/);
    const viaEvaluate = await runTask(evaluate, { predictions, train, problem });
    expect(viaEvaluate.metrics).toEqual(metrics);
  });

  it('caps predicted-vs-actual pairs at 2000', async () => {
    const n = 5000;
    const values = Array.from({ length: n }, (_, i) => i + 1);
    const predictions = roundTrip({ predicted: values, actual: values });
    const { details, metrics } = await runTask(evaluate, {
      predictions, train: roundTrip({ y: [1] }), problem: { target: 'y', task: 'regression', metric: 'r2' },
    });
    expect(details.pairs).toHaveLength(2000);
    expect(details.pairsCapped).toBe(true);
    expect(metrics.r2).toBe(1);
  });
});

describe('evaluators/cross-validation', () => {
  it('mean, population std (ddof=0) and values of the metrics every fold has', async () => {
    const folds = [{ accuracy: 0.8, f1_macro: 0.7 }, { accuracy: 0.9, f1_macro: 0.6, roc_auc: 0.5 }, { accuracy: 1, f1_macro: 0.8 }];
    const { cv } = await runTask(crossValidation, { folds });
    expect(cv.folds).toBe(3);
    expect(cv.roc_auc).toBeUndefined();
    expect(cv.accuracy.values).toEqual([0.8, 0.9, 1]);
    expect(cv.accuracy.mean).toBeCloseTo(0.9, 12);
    // numpy: np.std([0.8, 0.9, 1.0]) = 0.08164965809277258
    expect(cv.accuracy.std).toBeCloseTo(0.0816496581, 9);
    expect(cv.f1_macro.std).toBeCloseTo(0.0816496581, 9);
  });
});
