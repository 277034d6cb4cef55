import { beforeAll, describe, expect, it } from '@jest/globals';
import { escape, table as aqTable, type ColumnTable } from 'arquero';
import { DataError, Table } from '../../core/index.ts';
import { jsonLoader } from '../../plugins/loaders/json.ts';
import { defineProblem } from '../../plugins/problem/define.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

const data = 'node_modules/vega-datasets/data';
let penguins: ColumnTable;
let cars: ColumnTable;

beforeAll(async () => {
  penguins = (await runTask(jsonLoader, {}, { path: `${data}/penguins.json` })).table;
  cars = (await runTask(jsonLoader, {}, { path: `${data}/cars.json` })).table;
});

const define = async (table: ColumnTable, params: Record<string, unknown>) => (await runTask(defineProblem, { table }, params)).problem;
const rejects = (table: ColumnTable, params: Record<string, unknown>) => runTask(defineProblem, { table }, params).then(() => undefined, (e: Error) => e);

describe('problem/define', () => {
  it('penguins species → multiclass with 3 sorted classes and accuracy', async () => {
    expect(await define(penguins, { target: 'Species' })).toEqual({
      target: 'Species', task: 'multiclass', metric: 'accuracy', classes: ['Adelie', 'Chinstrap', 'Gentoo'],
    });
  });

  it('cars Miles_per_Gallon → regression with r2 (missing targets are only warned about)', async () => {
    expect(await define(cars, { target: 'Miles_per_Gallon' })).toEqual({ target: 'Miles_per_Gallon', task: 'regression', metric: 'r2' });
    expect(await define(cars, { target: 'Miles_per_Gallon', metric: 'rmse' })).toMatchObject({ metric: 'rmse' });
  });

  it('gives the same answer on tables as the engine hands them over (decoded from Arrow IPC)', async () => {
    for (const [t, target] of [[penguins, 'Species'], [cars, 'Miles_per_Gallon'], [cars, 'Cylinders']] as const) {
      expect(await define(Table.decode(Table.encode(t)), { target })).toEqual(await define(t, { target }));
    }
  });

  it('a numeric target with few whole values is classification, classes sorted numerically', async () => {
    expect(await define(cars, { target: 'Cylinders', metric: 'f1_macro' })).toEqual({
      target: 'Cylinders', task: 'multiclass', metric: 'f1_macro', classes: ['3', '4', '5', '6', '8'],
    });
    expect(await define(cars, { target: 'Cylinders', task: 'regression' })).toMatchObject({ task: 'regression' });
  });

  it('binary: positive class defaults to the second sorted class, or is the one given', async () => {
    const sexed = penguins.filter(escape((d: any) => d.Sex === 'MALE' || d.Sex === 'FEMALE'));
    expect(await define(sexed, { target: 'Sex' })).toEqual({
      target: 'Sex', task: 'binary', metric: 'accuracy', classes: ['FEMALE', 'MALE'], positiveClass: 'MALE',
    });
    expect(await define(sexed, { target: 'Sex', positiveClass: 'FEMALE', metric: 'roc_auc' }))
      .toMatchObject({ positiveClass: 'FEMALE', metric: 'roc_auc' });
    const err = await rejects(sexed, { target: 'Sex', positiveClass: 'male' });
    expect(err).toBeInstanceOf(DataError);
    expect(err!.message).toContain("positiveClass 'male' is not a class of 'Sex'; its classes are: FEMALE, MALE");
  });

  it('fails when the target column is missing, listing the columns', async () => {
    const err = await rejects(penguins, { target: 'species' });
    expect(err).toBeInstanceOf(DataError);
    expect(err!.message).toContain("no column 'species'");
    expect(err!.message).toContain('Species, Island, Beak Length (mm)');
  });

  it('fails on one class, an all-missing target, and a metric or task that does not fit', async () => {
    const adelie = penguins.filter((d: any) => d.Species === 'Adelie');
    expect((await rejects(adelie, { target: 'Species' }))!.message).toContain("target 'Species' has one class (Adelie)");
    const empty = aqTable({ y: [null, null, NaN], x: [1, 2, 3] });
    const allMissing = await rejects(empty, { target: 'y' });
    expect(allMissing).toBeInstanceOf(DataError);
    expect(allMissing!.message).toContain("target 'y' is missing in all 3 rows");
    expect((await rejects(cars, { target: 'Miles_per_Gallon', metric: 'accuracy' }))!.message)
      .toContain("metric 'accuracy' does not apply to regression; use one of r2, rmse, mae, mape");
    expect((await rejects(penguins, { target: 'Species', task: 'regression' }))!.message).toContain('needs a numeric target');
    expect((await rejects(penguins, { target: 'Species', task: 'binary' }))!.message).toContain('has 3 classes');
    expect((await rejects(penguins, { target: 'Species', positiveClass: 'Adelie' }))!.message).toContain('binary problems only');
  });

  it('rejects an unknown metric name when params are validated', async () => {
    const err = await rejects(penguins, { target: 'Species', metric: 'precision' });
    expect(err!.message).toContain('params.metric must be one of');
  });
});

describe('problem/define on numeric targets read from typed arrays', () => {
  /** The outcome (problem or error message, and warnings) for a table as built and as the engine hands it over. */
  const outcomes = async (columns: Record<string, unknown[] | Float64Array | Int32Array>, params: Record<string, unknown>) => {
    const plain = aqTable(columns);
    const results = [];
    for (const table of [plain, Table.decode(Table.encode(plain))]) {
      const ctx = makeContext();
      const problem = await runTask(defineProblem, { table }, params, ctx).then((r) => r.problem, (e: Error) => `${e.constructor.name}: ${e.message}`);
      results.push({ problem, warnings: ctx.logs.filter((l) => l.startsWith('warn')) });
    }
    expect(results[1]).toEqual(results[0]);
    return results[0];
  };
  const ints = (n: number, distinct: number) => Int32Array.from({ length: n }, (_, i) => (i % distinct) + 1);

  it('a float target of thousands of values with gaps: regression, missing rows counted', async () => {
    const y = Array.from({ length: 5000 }, (_, i) => (i % 1000 === 7 ? null : 25 + i * 0.0691));
    expect(await outcomes({ y }, { target: 'y' })).toEqual({
      problem: { target: 'y', task: 'regression', metric: 'r2' },
      warnings: ["warn: target 'y' is missing in 5 of 5000 rows; drop them before training"],
    });
  });

  it('10 distinct whole numbers are classes (sorted numerically); 11 make it regression', async () => {
    expect((await outcomes({ y: ints(2000, 10) }, { target: 'y' })).problem).toEqual({
      target: 'y', task: 'multiclass', metric: 'accuracy', classes: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    });
    expect((await outcomes({ y: ints(2000, 11) }, { target: 'y' })).problem).toEqual({ target: 'y', task: 'regression', metric: 'r2' });
    expect((await outcomes({ y: Float64Array.of(1, 2, 2.5, 1) }, { target: 'y' })).problem).toMatchObject({ task: 'regression' });
  });

  it('an explicit multiclass task keeps every class, however many', async () => {
    const { problem } = await outcomes({ y: ints(3000, 60) }, { target: 'y', task: 'multiclass' });
    expect(problem.classes).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
  });

  it('same errors: constant, binary with three classes, all missing, non-numeric regression', async () => {
    expect((await outcomes({ y: Float64Array.of(5, 5, NaN, 5) }, { target: 'y', task: 'regression' })).problem)
      .toBe("DataError: problem/define: target 'y' is constant (5): there is nothing to learn. Check the filter that made the table, or pick another target");
    expect((await outcomes({ y: ints(30, 3) }, { target: 'y', task: 'binary' })).problem)
      .toBe("DataError: problem/define: task 'binary' but target 'y' has 3 classes; use task 'multiclass' or 'auto'");
    expect((await outcomes({ y: [null, NaN, null] }, { target: 'y' })).problem).toBe("DataError: problem/define: target 'y' is missing in all 3 rows");
    // Mixed numbers and text cannot be Arrow-encoded: the table as built only.
    expect((await rejects(aqTable({ y: [1, 2, 'three', null] }), { target: 'y', task: 'regression' }))!.message)
      .toBe("problem/define: task 'regression' needs a numeric target, but 'y' holds string values");
  });
});
