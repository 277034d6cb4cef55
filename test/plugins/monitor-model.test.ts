/**
 * Issue 9: monitorModel (what `mlcycle monitor`, a retrain loop and a drift-check task call) and
 * readPredictionLog (serve's NDJSON log), on a real exported bundle and real files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataError, ValidationError } from '../../core/index.ts';
import { loadBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { monitorReportJson } from '../../plugins/monitor/monitor-json.ts';
import { monitorModel, type MonitoredModel } from '../../plugins/monitor/monitor-model.ts';
import { readPredictionLog } from '../../plugins/monitor/read-prediction-log.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let root: string;
let tree: Trained;
let model: MonitoredModel;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-monitor-'));
  tree = await trainPenguins('tree');
  const { model: m, transform, problem, schema, reference } = tree;
  const dir = path.join(root, 'b');
  await runTask(bundle, { model: m, transform, problem, schema, metrics: { accuracy: 0.97, f1_macro: 0.96 }, reference }, { out: dir, name: 'penguins' },
    makeContext({ run: { id: 'r', dag: 'penguins', params: {} } }));
  model = { uri: dir, name: 'penguins', version: null, bundle: await loadBundle(dir) };
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('monitorModel', () => {
  it('held-out rows of the same data: no dataset drift, the predictions and labels compared, scores beside the bundle\'s', async () => {
    const report = await monitorModel(model, tree.rows.test);
    expect(report.drift.datasetDrift).toBe(false);
    expect(report.drift.features.map((f) => f.name)).toEqual(tree.schema.columns.map((c) => c.name).filter((c) => c !== 'Species'));
    expect(report.prediction).toMatchObject({ source: 'model', drift: { name: 'predicted', drifted: false } });
    // One held-out penguin has Sex '.', which training never saw: counted, not predicted.
    expect(report.prediction.notPredicted).toBe(1);
    expect(report.notes.join('\n')).toMatch(/1 of \d+ row\(s\) are outside what the model saw/);
    expect(report.target).toMatchObject({ name: 'Species', drifted: false });
    expect(report.performance).toMatchObject({ primary: 'accuracy', reference: { accuracy: 0.97, f1_macro: 0.96 } });
    expect(report.performance!.difference.accuracy).toBeCloseTo(report.performance!.metrics.accuracy! - 0.97, 12);
    const d = report.distributions.features.find((x) => x.name === 'Island')!;
    expect(d.kind === 'categorical' && d.categories.sort()).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    // The JSON form turns a test that could not run into null, never NaN.
    expect(JSON.stringify(monitorReportJson(report))).not.toContain('NaN');
  });

  it('given predictions (a log) are compared instead of predicting; their count must match the rows', async () => {
    const rows = tree.rows.test.map(({ Species: _s, ...r }) => r);
    const report = await monitorModel(model, rows, { predictions: rows.map(() => 'Gentoo') });
    expect(report.prediction).toMatchObject({ source: 'log', predicted: rows.length, drift: { drifted: true } });
    expect(report.performance).toBeNull();
    await expect(monitorModel(model, rows, { predictions: ['Adelie'] })).rejects.toThrow(ValidationError);
  });

  it('names the missing feature and the columns there are; refuses a bundle without profile', async () => {
    const rows = tree.rows.test.map(({ Island: _i, ...r }) => r);
    const err = await monitorModel(model, rows).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/no column 'Island' \(a feature of model penguins\); its columns are: 'Species', 'Beak Length \(mm\)'/);
    await expect(monitorModel({ ...model, bundle: { ...model.bundle, referenceProfile: null } }, tree.rows.test)).rejects.toThrow(/has no reference profile; re-export it/);
  });
});

describe('readPredictionLog', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify({ ts: '2026-12-01T02:03:04.567Z', model: 'penguins', version: 2, row: { Island: 'Dream' }, prediction: 'Adelie', ...o });

  it('reads the folder\'s log files in name order, skipping other files and a torn last line', async () => {
    const dir = path.join(root, 'log-a');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'predictions-20261201T030000Z-2.ndjson'), `${line({ prediction: 'Gentoo' })}\n{"ts":"2026`);
    writeFileSync(path.join(dir, 'predictions-20261201T020000Z-1.ndjson'), `${line({ version: 1 })}\n\n${line({ model: 'cars', prediction: 21 })}\n`);
    writeFileSync(path.join(dir, 'README'), 'x');
    const log = await readPredictionLog(dir, { model: 'penguins' });
    expect(log.predictions).toEqual(['Adelie', 'Gentoo']);
    expect(log.tornLines).toBe(1);
    expect({ ...log.versions }).toEqual({ 1: 1, 2: 1 });
    expect({ ...log.otherModels }).toEqual({ cars: 1 });
    expect(log.files.map((f) => path.basename(f))).toEqual(['predictions-20261201T020000Z-1.ndjson', 'predictions-20261201T030000Z-2.ndjson']);
  });

  it('keeps a feature named __proto__ as a key, and refuses malformed lines naming file and line, never quoting them', async () => {
    const file = path.join(root, 'proto.ndjson');
    writeFileSync(file, '{"ts":"t","model":"penguins","version":null,"row":{"__proto__":"x","Island":"Dream"},"prediction":"Adelie"}\n');
    const log = await readPredictionLog(file);
    expect(Object.getPrototypeOf(log.rows[0])).toBeNull();
    expect(Object.keys(log.rows[0]!)).toEqual(['__proto__', 'Island']);
    const cases: Array<[string, RegExp]> = [
      [`${line({})}\nSECRET-TEXT\n`, /bad-\d\.ndjson:2: line 2 is not valid JSON/],
      [`${line({ row: [1, 2] })}\n`, /:1: "row" is not an object/],
      [`${line({ row: { a: { b: 1 } } })}\n`, /:1: "row" value of 'a' is an object or list/],
      [`${line({ version: 'x' })}\n`, /:1: "version" is not a positive integer or null/],
      [`${line({ model: 'cars' })}\n`, /holds no rows of model 'penguins' \(only of 'cars'\)/],
    ];
    for (const [i, [text, pattern]] of cases.entries()) {
      const bad = path.join(root, `bad-${i}.ndjson`);
      writeFileSync(bad, text);
      const err = await readPredictionLog(bad, { model: 'penguins' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toMatch(pattern);
      expect((err as Error).message).not.toContain('SECRET');
    }
  });

  it('refuses a symbolic link in the folder, a folder without log files, and more bytes than allowed', async () => {
    const dir = path.join(root, 'log-b');
    mkdirSync(dir);
    await expect(readPredictionLog(dir)).rejects.toThrow(/no prediction log files/);
    writeFileSync(path.join(root, 'target.ndjson'), `${line({})}\n`);
    symlinkSync(path.join(root, 'target.ndjson'), path.join(dir, 'predictions-20261201T020000Z-1.ndjson'));
    await expect(readPredictionLog(dir)).rejects.toThrow(/symbolic link/);
    await expect(readPredictionLog(path.join(root, 'target.ndjson'), { maxBytes: 10 })).rejects.toThrow(/larger than/);
  });
});
