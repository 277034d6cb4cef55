import { describe, expect, it } from '@jest/globals';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';
import { lookupTask } from '../../core/task/registry.ts';
import type { ModelSpec, ProblemSpec } from '../../plugins/kinds.ts';
import { checkTrainedModel, FINITE_CHECK_ROWS } from '../../plugins/algorithms/_finite-model.ts';
import { dense } from '../../plugins/algorithms/_dense.ts';
import { predictTable } from '../../plugins/algorithms/predict-table.ts';
import { algorithms, trainAlgorithm } from '../../plugins/algorithms/registry.ts';
import { logLoss } from '../../plugins/evaluators/_classification.ts';
import { mae, mape, mean, r2, rmse } from '../../plugins/evaluators/_regression.ts';
import { ovrAuc, rocAuc, rocCurve } from '../../plugins/evaluators/_roc.ts';
import { scoreClassification } from '../../plugins/evaluators/_score-classification.ts';
import { scoreRegression } from '../../plugins/evaluators/_score-regression.ts';
import { makeContext } from '../helpers/task-context.ts';
import { cars, penguins, type Dataset } from './algorithms-data.ts';

/** The training task as the engine runs it: looked up by reference, like both executors do. */
async function trainAsEngine(name: keyof typeof algorithms, data: Dataset, params: Record<string, unknown> = {}): Promise<ModelSpec> {
  const task = lookupTask(algorithms[name].task.ref)!;
  const { value, errors } = task.validateParams(params);
  if (errors.length) throw new Error(errors.join('; '));
  return (await task.run({ train: data.train, problem: data.problem }, value, makeContext())).model as ModelSpec;
}

/** Features multiplied by `factor`: 1e200 squares to Infinity in every variance and distance. */
function scaled(data: Dataset, factor: number): Dataset {
  const cols = data.train.columnNames().filter((c) => c !== data.problem.target);
  const scale = (t: ColumnTable) => t.derive(Object.fromEntries(cols.map((c) => [c, aq.escape((d: Record<string, number>) => d[c]! * factor)])));
  return { ...data, train: scale(data.train), test: scale(data.test) };
}

const small: Record<string, Record<string, unknown>> = { forest: { nEstimators: 10 }, mlp: { maxIter: 30 } };

describe('a trained model with non-finite numbers fails its node', () => {
  it('the engine runs each training task with the check (the registered task wraps the exported one)', () => {
    for (const a of Object.values(algorithms)) {
      const registered = lookupTask(a.task.ref)!;
      expect(registered).not.toBe(a.task);
      expect(registered.ref).toEqual(a.task.ref);
      expect(registered.validateParams).toBe(a.task.validateParams);
    }
  });

  it.each(Object.keys(algorithms))('%s: sound fits pass the check on penguins and cars', async (name) => {
    const a = algorithms[name as keyof typeof algorithms];
    for (const data of [penguins(), cars()]) {
      if (!a.supports.includes(data.problem.task)) continue;
      const model = await trainAsEngine(a.name as keyof typeof algorithms, data, small[name]);
      expect(model.algorithm).toBe(a.model);
    }
  });

  it.each([
    ['mlp', penguins, /^mlp: the trained model holds Infinity at model\.featureStd\[\d\]; the fit diverged or overflowed: scale the features/],
    ['knn', cars, /^knn: the trained model holds Infinity at model\.scaling\.std\[\d\]; the fit diverged or overflowed/],
    ['bayes', penguins, /^bayes: the trained model holds Infinity at model\.variance\[\d\]; the fit diverged or overflowed/],
  ] as const)('%s: features of 1e200 overflow the fitted state: DataError naming where', async (name, data, message) => {
    const err = await trainAsEngine(name, scaled(data(), 1e200), small[name]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(message);
  });

  it('trainAlgorithm (sweeps, auto-ML) runs the same check', async () => {
    const data = scaled(penguins(), 1e200);
    const err = await trainAlgorithm('knn', data.train, data.problem, {}, makeContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/^knn: the trained model holds Infinity at model\.scaling\.std\[0\]/);
  });

  const table = (n: number) => aq.table({ x: Float64Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => (i % 2 ? 'b' : 'a')) });
  const model = (task: ProblemSpec['task'], classical: unknown): ModelSpec => ({
    algorithm: 'fake', task, target: 'y', features: ['x'], classes: task === 'regression' ? undefined : ['a', 'b'], classical, info: {},
  });

  it('predicts a bounded, evenly spaced sample of the training rows and names a non-finite prediction', async () => {
    const seen: number[][] = [];
    const fake = {
      name: 'fake',
      predict: (_m: ModelSpec, x: ReturnType<typeof dense>) => {
        seen.push(Array.from({ length: x.rows }, (_, i) => x.data[i]!));
        const probs = dense(x.rows, 2);
        for (let i = 0; i < x.rows; i++) probs.data.set(i === 3 ? [NaN, NaN] : [0.5, 0.5], i * 2);
        return { probs };
      },
    };
    const err = await checkTrainedModel(fake, model('multiclass', { w: [1, 2] }), table(1000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/^fake: the trained model predicts NaN \(a non-finite probability\) on training row 3 of the 256 checked; /);
    expect(seen[0]).toHaveLength(FINITE_CHECK_ROWS);
    expect(seen[0]!.slice(0, 3)).toEqual([0, 3, 7]); // floor(k * 1000 / 256)
    expect(seen[0]![255]).toBe(996);
  });

  it('names a non-finite value of a regressor, and the path of a non-finite weight', async () => {
    const regressor = { name: 'fake', predict: (_m: ModelSpec, x: ReturnType<typeof dense>) => ({ values: new Float64Array(x.rows).fill(-Infinity) }) };
    await expect(checkTrainedModel(regressor, model('regression', {}), table(10))).rejects.toThrow(
      /^fake: the trained model predicts -Infinity \(a non-finite value\) on training row 0 of the 10 checked/,
    );
    const never = { name: 'fake', predict: () => { throw new Error('predict must not run when the weights are already bad'); } };
    await expect(checkTrainedModel(never, model('regression', { layers: [{ w: new Float64Array([1, NaN]) }] }), table(10))).rejects.toThrow(
      /^fake: the trained model holds NaN at model\.layers\[0\]\.w\[1\]; /,
    );
  });

  it('predictTable refuses a model that predicts NaN (a stored model from before the check)', async () => {
    const data = cars();
    const fitted = await trainAsEngine('linear', data);
    const poisoned = structuredClone(fitted);
    (poisoned.classical as { intercept: number }).intercept = NaN;
    await expect(predictTable(poisoned, data.test)).rejects.toThrow(/^linear-regression: the model predicted NaN \(a non-finite value\)/);
  });
});

describe('evaluators refuse non-finite scores instead of looping', () => {
  const truth = [true, false, true, false];
  it.each([NaN, Infinity, -Infinity])('ROC on a %s score throws a DataError (rocCurve used to loop forever on NaN)', (bad) => {
    const scores = [0.8, bad, 0.4, 0.1];
    expect(() => rocCurve(truth, scores)).toThrow(DataError);
    expect(() => rocCurve(truth, scores)).toThrow(`rocCurve: scores[1] is ${bad}, not a finite number; the model that made these predictions diverged or overflowed`);
    expect(() => rocAuc(truth, scores)).toThrow(`rocAuc: scores[1] is ${bad}, not a finite number`);
    expect(() => ovrAuc(['a', 'b'], [{ a: bad, b: 0 }, { a: 0.5, b: 0.5 }], ['a', 'b'])).toThrow(DataError);
  });

  it('keeps the scikit-learn curve on finite scores', () => {
    expect(rocCurve([true, false, true, false], [0.8, 0.4, 0.4, 0.1])).toEqual([
      { fpr: 0, tpr: 0, threshold: null }, { fpr: 0, tpr: 0.5, threshold: 0.8 }, { fpr: 0.5, tpr: 1, threshold: 0.4 }, { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
    expect(() => rocCurve(truth, [1, 2, 3, 4], NaN)).toThrow('rocCurve: maxPoints must be an integer >= 2, got NaN');
  });

  it('log loss refuses a non-finite or missing probability instead of counting it as 0', () => {
    expect(() => logLoss(['a', 'b'], [{ a: 0.9, b: 0.1 }, { a: NaN, b: 0.8 }], ['a', 'b'])).toThrow(
      'logLoss: probabilities of row 1 (a, b)[0] is NaN, not a finite number',
    );
    expect(() => logLoss(['constructor'], [{ a: 1 }], ['a', 'constructor'])).toThrow('logLoss: probabilities of row 0 (a, constructor)[1] is undefined');
    expect(logLoss(['a', 'b'], [{ a: 0.9, b: 0.1 }, { a: 0.2, b: 0.8 }], ['a', 'b'])).toBeCloseTo((-Math.log(0.9) - Math.log(0.8)) / 2, 12);
  });

  it.each([
    ['mae', () => mae([1, 2], [1, NaN]), 'mae: predicted[1] is NaN'],
    ['rmse', () => rmse([1, Infinity], [1, 2]), 'rmse: actual[1] is Infinity'],
    ['r2', () => r2([1, 2], [-Infinity, 2]), 'r2: predicted[0] is -Infinity'],
    ['mape', () => mape([1, 2], [NaN, 2]), 'mape: predicted[0] is NaN'],
    ['mean', () => mean([1, NaN]), 'mean: values[1] is NaN'],
  ])('%s throws a DataError on a non-finite input', (_name, call, message) => {
    expect(call).toThrow(DataError);
    expect(call).toThrow(message);
  });

  const problem: ProblemSpec = { target: 'y', task: 'binary', metric: 'accuracy', classes: ['a', 'b'], positiveClass: 'b' };
  const train = aq.table({ x: [1, 2, 3], y: ['a', 'b', 'b'] });

  it('scoreClassification names the probability column holding NaN', () => {
    const predictions = aq.table({ predicted: ['a', 'b'], prob_a: [0.5, NaN], prob_b: [0.5, NaN], actual: ['a', 'b'] });
    expect(() => scoreClassification(predictions, train, problem)).toThrow('evaluators/classification: prob_a[1] is NaN, not a finite number');
  });

  it('scoreRegression names the prediction that is not finite', () => {
    const predictions = aq.table({ predicted: [1, Infinity], actual: [1, 2] });
    const regression: ProblemSpec = { target: 'y', task: 'regression', metric: 'r2' };
    expect(() => scoreRegression(predictions, aq.table({ y: [1, 2] }), regression)).toThrow(
      "evaluators/regression: column 'predicted' row 1 is not a finite number (Infinity)",
    );
  });

  it('class labels named like Object.prototype members are plain classes', () => {
    const odd: ProblemSpec = { target: 'y', task: 'binary', metric: 'accuracy', classes: ['__proto__', 'constructor'], positiveClass: 'constructor' };
    const predictions = aq.table({
      predicted: ['__proto__', 'constructor', 'constructor', '__proto__'],
      prob___proto__: [0.9, 0.2, 0.4, 0.6], prob_constructor: [0.1, 0.8, 0.6, 0.4],
      actual: ['__proto__', 'constructor', '__proto__', 'constructor'],
    });
    const { metrics, details } = scoreClassification(predictions, aq.table({ y: ['constructor', 'constructor', '__proto__', 'toString'] }), odd);
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.roc_auc).toBe(0.75); // positives score 0.8 and 0.4 against negatives 0.1 and 0.6: 3 of 4 pairs
    // 'toString' is not a class: not counted; prior = counts over the 4 train rows.
    const prior = (details.baseline as { prior: Record<string, number> }).prior;
    expect(Object.entries(prior)).toEqual([['__proto__', 0.25], ['constructor', 0.5]]);
    expect(Object.keys(details.perClass as object)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(details.perClass)).toBe(Object.prototype);
  });
});
