import { describe, expect, it } from '@jest/globals';
import {
  accuracy, balancedAccuracy, confusionMatrix, logLoss, macroScores,
} from '../../plugins/evaluators/_classification.ts';
import { mae, mape, r2, rmse } from '../../plugins/evaluators/_regression.ts';
import { ovrAuc, rocAuc, rocCurve } from '../../plugins/evaluators/_roc.ts';

// Three classes, hand-computed: confusion (a,b,c) = [[2,1,0],[0,1,1],[0,0,1]].
const actual = ['a', 'a', 'a', 'b', 'b', 'c'];
const predicted = ['a', 'a', 'b', 'b', 'c', 'c'];

describe('classification metrics', () => {
  it('accuracy, balanced accuracy and the confusion matrix in class order', () => {
    expect(accuracy(actual, predicted)).toBeCloseTo(4 / 6, 12);
    expect(balancedAccuracy(actual, predicted)).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 12);
    expect(confusionMatrix(actual, predicted, ['c', 'b', 'a'])).toEqual({
      labels: ['c', 'b', 'a'],
      matrix: [[1, 0, 0], [1, 1, 0], [0, 1, 2]],
    });
  });

  it('appends labels missing from the class list instead of dropping rows', () => {
    expect(confusionMatrix(['a', 'z'], ['a', 'a'], ['a']).labels).toEqual(['a', 'z']);
  });

  it('macro precision, recall, F1 and per-class scores', () => {
    const m = macroScores(actual, predicted, ['a', 'b', 'c']);
    expect(m.precision).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    expect(m.recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(m.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(m.perClass.a).toEqual({ precision: 1, recall: 2 / 3, f1: expect.closeTo(0.8, 12), support: 3 });
  });

  it('macro averages skip classes that occur in neither actual nor predicted (sklearn default)', () => {
    const m = macroScores(['a', 'b'], ['a', 'a'], ['a', 'b', 'never']);
    // a: precision 1/2, recall 1; b: 0, 0 ('never' is not averaged in).
    expect(m.precision).toBeCloseTo(0.25, 12);
    expect(m.recall).toBeCloseTo(0.5, 12);
  });

  it('log loss of the true class, and clipping at 1e-15 for a confident mistake', () => {
    const probs = [
      { a: 0.7, b: 0.2, c: 0.1 }, { a: 0.2, b: 0.6, c: 0.2 }, { a: 0.1, b: 0.3, c: 0.6 },
      { a: 0.3, b: 0.4, c: 0.3 }, { a: 0.4, b: 0.4, c: 0.2 }, { a: 0.2, b: 0.2, c: 0.6 },
    ];
    const y = ['a', 'b', 'c', 'a', 'b', 'c'];
    // -(ln .7 + ln .6 + ln .6 + ln .3 + ln .4 + ln .6) / 6
    expect(logLoss(y, probs, ['a', 'b', 'c'])).toBeCloseTo(0.668236, 5);
    expect(logLoss(['a'], [{ a: 0, b: 1 }], ['a', 'b'])).toBeCloseTo(34.538776, 5);
  });
});

describe('ROC', () => {
  it('binary AUC counts a tied positive/negative pair as one half', () => {
    expect(rocAuc([true, false, true, false], [0.8, 0.4, 0.4, 0.1])).toBeCloseTo(0.875, 12);
    // All scores tied: chance.
    expect(rocAuc([true, false, true], [0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(rocAuc([true, true], [0.1, 0.2])).toBeNaN();
  });

  it('matches the scikit-learn roc_auc_score / roc_curve docstring example', () => {
    const positive = [false, false, true, true];
    const scores = [0.1, 0.4, 0.35, 0.8];
    expect(rocAuc(positive, scores)).toBeCloseTo(0.75, 12);
    const curve = rocCurve(positive, scores);
    expect(curve.map((p) => p.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(curve.map((p) => p.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curve.map((p) => p.threshold)).toEqual([null, 0.8, 0.4, 0.35, 0.1]);
  });

  it('one-vs-rest macro AUC for three classes, with a tie inside class b', () => {
    const y = ['a', 'b', 'c', 'a', 'b', 'c'];
    const probs = [
      { a: 0.7, b: 0.2, c: 0.1 }, { a: 0.2, b: 0.6, c: 0.2 }, { a: 0.1, b: 0.3, c: 0.6 },
      { a: 0.3, b: 0.4, c: 0.3 }, { a: 0.4, b: 0.4, c: 0.2 }, { a: 0.2, b: 0.2, c: 0.6 },
    ];
    const { macro, perClass } = ovrAuc(y, probs, ['a', 'b', 'c']);
    expect(perClass).toEqual({ a: 7 / 8, b: 7.5 / 8, c: 1 });
    expect(macro).toBeCloseTo((7 / 8 + 7.5 / 8 + 1) / 3, 12);
  });
});

describe('regression metrics', () => {
  // The scikit-learn docstring example: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8].
  const y = [3, -0.5, 2, 7];
  const p = [2.5, 0, 2, 8];
  it('MAE, RMSE, R² and MAPE match scikit-learn', () => {
    expect(mae(y, p)).toBeCloseTo(0.5, 12);
    expect(rmse(y, p)).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(r2(y, p)).toBeCloseTo(0.948608, 6);
    expect(mape(y, p).value).toBeCloseTo(0.327381, 6);
  });

  it('MAPE skips rows whose actual is 0 and says how many', () => {
    expect(mape([100, 0, 50], [110, 3, 40])).toEqual({ value: expect.closeTo(0.15, 12), skipped: 1 });
    expect(mape([0, 0], [1, 2]).value).toBeNaN();
  });

  it('R² on constant actuals is 1 when perfect, else 0', () => {
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 3])).toBe(0);
  });
});
