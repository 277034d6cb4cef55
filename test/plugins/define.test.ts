import { beforeAll, describe, expect, it } from '@jest/globals';
import { escape, table as aqTable, type ColumnTable } from 'arquero';
import { DataError, Table } from '../../core/index.ts';
import { jsonLoader } from '../../plugins/loaders/json.ts';
import { defineProblem } from '../../plugins/problem/define.ts';
import { runTask } from '../helpers/task-context.ts';

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
