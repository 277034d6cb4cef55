import { describe, expect, it } from '@jest/globals';
import * as aq from 'arquero';
import { NonRetryableError } from '../../core/index.ts';
import { Model, type ModelSpec } from '../../plugins/kinds.ts';
import { predictTable } from '../../plugins/algorithms/predict-table.ts';
import { algorithmForModel, algorithmNames, algorithms, algorithmTask, trainAlgorithm } from '../../plugins/algorithms/registry.ts';
import { decisionTree } from '../../plugins/algorithms/decision-tree.ts';
import { knn } from '../../plugins/algorithms/knn.ts';
import { naiveBayes } from '../../plugins/algorithms/naive-bayes.ts';
import { predict } from '../../plugins/algorithms/predict.ts';
import { randomForest } from '../../plugins/algorithms/random-forest.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { accuracy, cars, iris, majorityShare, penguins, r2, type Dataset } from './algorithms-data.ts';

async function train(task: any, data: Dataset, params: Record<string, unknown> = {}) {
  return (await runTask(task, { train: data.train, problem: data.problem }, params)).model as ModelSpec;
}

const classifiers = [
  ['random-forest', randomForest, { nEstimators: 25 }],
  ['decision-tree', decisionTree, {}],
  ['knn', knn, {}],
  ['naive-bayes', naiveBayes, {}],
] as const;

describe.each(classifiers)('algorithms/%s', (name, task, params) => {
  it('classifies penguins far above the majority baseline, with probabilities that sum to 1', async () => {
    const data = penguins();
    const model = await train(task, data, params);
    expect(model.algorithm).toBe(name);
    const out = await predictTable(model, data.test);
    expect(accuracy(out)).toBeGreaterThan(majorityShare(data.test, 'Species') + 0.35);
    expect(out.columnNames()).toEqual(['predicted', 'prob_Adelie', 'prob_Chinstrap', 'prob_Gentoo', 'actual']);
    for (const r of out.objects() as Array<Record<string, any>>) {
      expect(r.prob_Adelie + r.prob_Chinstrap + r.prob_Gentoo).toBeCloseTo(1, 6);
      expect(r[`prob_${r.predicted}`]).toBe(Math.max(r.prob_Adelie, r.prob_Chinstrap, r.prob_Gentoo));
    }
  });

  it('round-trips through the Model codec with identical predictions', async () => {
    const data = iris();
    const model = await train(task, data, params);
    const decoded = Model.decode(Model.encode(model));
    expect(decoded).toEqual(model);
    expect((await predictTable(decoded, data.test)).objects()).toEqual((await predictTable(model, data.test)).objects());
  });
});

describe.each([
  ['random-forest', randomForest, { nEstimators: 25 }],
  ['decision-tree', decisionTree, { maxDepth: 6 }],
  ['knn', knn, {}],
] as const)('algorithms/%s regression', (_, task, params) => {
  it('predicts miles per gallon with R² > 0.6', async () => {
    const data = cars();
    expect(r2(await predictTable(await train(task, data, params), data.test))).toBeGreaterThan(0.6);
  });
});

describe('classical specifics', () => {
  it('naive Bayes refuses regression with a NonRetryableError pointing elsewhere', async () => {
    const err = await train(naiveBayes, cars()).catch((e) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.message).toMatch(/regression: pick another algorithm/);
  });

  it('random forest is seeded: same seed, same model; another seed, another model', async () => {
    const data = iris();
    const [a, b, c] = [await train(randomForest, data, { nEstimators: 10, seed: 1 }), await train(randomForest, data, { nEstimators: 10, seed: 1 }), await train(randomForest, data, { nEstimators: 10, seed: 2 })];
    expect(Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(b)))).toBe(true);
    expect(Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(c)))).toBe(false);
  });

  it('maps numeric class labels back to the problem classes as strings', async () => {
    const data = iris();
    const asNumber = (t: aq.ColumnTable) => t.derive({ species: aq.escape((d: any) => ['setosa', 'versicolor', 'virginica'].indexOf(d.species)) });
    const numeric: Dataset = { train: asNumber(data.train), test: asNumber(data.test), problem: { ...data.problem, classes: ['0', '1', '2'] } };
    const out = await predictTable(await train(decisionTree, numeric), numeric.test);
    expect(new Set(out.array('predicted') as string[])).toEqual(new Set(['0', '1', '2']));
    expect(accuracy(out)).toBeGreaterThan(0.85);
  });

  it('a label outside problem.classes fails naming the value', async () => {
    const data = iris();
    await expect(train(knn, { ...data, problem: { ...data.problem, classes: ['setosa', 'versicolor'] } })).rejects.toThrow(/"virginica".*not one of problem.classes/);
  });
});

describe('algorithms/predict and the registry', () => {
  it('the predict task returns predictions with actual; without the target there is no actual', async () => {
    const data = iris();
    const model = await train(knn, data);
    const { predictions } = await runTask(predict, { model, table: data.test });
    expect(predictions.numRows()).toBe(data.test.numRows());
    expect(accuracy(predictions)).toBeGreaterThan(0.85);
    const blind = await predictTable(model, data.test.select(aq.not('species')));
    expect(blind.columnNames()).not.toContain('actual');
    await expect(predictTable(model, data.test.select('species', 'petal_width'))).rejects.toThrow(/lacks the model's feature columns: sepal_length, sepal_width, petal_length/);
  });

  it('maps the short names to their tasks and trains by name', async () => {
    expect(algorithmNames).toEqual(['logreg', 'linear', 'mlp', 'forest', 'tree', 'knn', 'bayes']);
    expect(Object.values(algorithms).map((a) => a.task.name)).toEqual([
      'algorithms/logistic-regression', 'algorithms/linear-regression', 'algorithms/mlp', 'algorithms/random-forest',
      'algorithms/decision-tree', 'algorithms/knn', 'algorithms/naive-bayes',
    ]);
    for (const a of Object.values(algorithms)) expect(a.task.isolation).toBe('worker');
    expect(algorithmForModel({ algorithm: 'random-forest' }).name).toBe('forest');
    expect(() => algorithmForModel({ algorithm: 'svm' })).toThrow(/no algorithm predicts models of type 'svm'/);
    expect(() => algorithmTask('svm')).toThrow(/unknown algorithm 'svm': pick one of logreg/);
    const data = iris();
    const model = await trainAlgorithm('tree', data.train, data.problem, { maxDepth: 3 }, makeContext());
    expect(model.algorithm).toBe('decision-tree');
    await expect(trainAlgorithm('knn', data.train, data.problem, { k: 0 }, makeContext())).rejects.toThrow(/params.k must be >= 1/);
  });
});
