import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IntegrityError, NonRetryableError, ValidationError } from '../../core/index.ts';
import type { ModelSpec } from '../../plugins/kinds.ts';
import { predictTable } from '../../plugins/algorithms/predict-table.ts';
import { loadBundle, predictBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let root: string;
let tree: Trained;
const metrics = { accuracy: 0.95, baseline_accuracy: 0.44 };
const run = { id: 'run-123', dag: 'penguins', file: 'dags/penguins.ts', params: { algorithm: 'tree' } };

async function exportTo(dir: string, trained: Trained, name = 'penguins') {
  const { model, transform, problem, schema, reference } = trained;
  return (await runTask(bundle, { model, transform, problem, schema, metrics, reference }, { out: dir, name }, makeContext({ run }))).bundle;
}

/** A fresh copy of a valid bundle, to tamper with. */
async function freshBundle(tag: string): Promise<string> {
  const dir = path.join(root, tag);
  await exportTo(dir, tree);
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-bundle-'));
  tree = await trainPenguins('tree');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('exporters/bundle → loadBundle → predictBundle', () => {
  it('writes manifest, preprocessing and model files, with lineage and sha256 of each file', async () => {
    const out = await exportTo(path.join(root, 'tree'), tree);
    const manifestBytes = await readFile(path.join(root, 'tree', 'manifest.json'));
    const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
    expect(out).toEqual({ path: path.join(root, 'tree'), name: 'penguins', files: ['arrays.bin', 'manifest.json', 'model.json', 'preprocessing.json', 'reference-profile.json'], manifestSha256 });
    // verifyOutputs: the cached result holds while the folder has this manifest, and not after a change.
    expect(bundle.verifyOutputs!({ bundle: out }, { out: out.path, name: 'penguins', signingKey: null })).toBe(true);
    const manifest = JSON.parse(manifestBytes.toString('utf8'));
    expect(manifest).toMatchObject({
      format: 'mlcycle-bundle', formatVersion: 1, name: 'penguins', problem: tree.problem, metrics,
      model: { algorithm: 'decision-tree', kind: 'classical' },
      lineage: { runId: 'run-123', dag: 'penguins', dagFile: 'dags/penguins.ts', params: { algorithm: 'tree' }, mlcycleVersion: '0.1.0', tfjsVersion: null },
    });
    expect(manifest.lineage.dataDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(manifest.created)).not.toBeNaN();
    expect(manifest.features.map((f: { name: string }) => f.name)).toEqual(
      ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'],
    );
    expect(Object.keys(manifest.files).sort()).toEqual(['arrays.bin', 'model.json', 'preprocessing.json', 'reference-profile.json']);
    // The rename left no temp folders beside the bundle.
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('predicts raw rows exactly as the model predicts the transformed test split', async () => {
    const dir = path.join(root, 'tree-predict');
    await exportTo(dir, tree);
    const loaded = await loadBundle(dir);
    const rows = tree.rows.test.map(({ Species, ...features }) => features);
    // The held-out split holds one penguin with Sex '.', a category training never saw: the bundle
    // refuses to predict it silently, so it comes back with an empty prediction and its reason.
    const out = await predictBundle(loaded, rows, { onInvalid: 'null' });
    const unseen = rows.findIndex((r) => r.Sex === '.');
    expect(unseen).toBeGreaterThanOrEqual(0);
    const direct = await predictTable(tree.model, tree.testX);
    const keep = <T,>(values: ArrayLike<T>) => Array.from(values).filter((_, i) => i !== unseen);
    expect(keep(out.array('predicted') as ArrayLike<unknown>)).toEqual(keep(direct.array('predicted') as ArrayLike<unknown>));
    expect(out.array('predicted')[unseen]).toBeNull();
    expect(String(out.array('invalid_reason')[unseen])).toMatch(/column 'Sex' = "\." was never seen in training/);
    expect(out.columnNames()).toEqual([...Object.keys(rows[0]!), 'predicted', 'prob_Adelie', 'prob_Chinstrap', 'prob_Gentoo', 'invalid_reason']);
    const truth = tree.rows.test.map((r) => r.Species);
    const hits = keep(out.array('predicted') as ArrayLike<unknown>).filter((p, i) => p === keep(truth)[i]).length;
    expect(hits / truth.length).toBeGreaterThan(0.9);
  });

  it('round-trips a model holding typed arrays through model.json + arrays.bin, byte for byte', async () => {
    const logreg = await trainPenguins('logreg');
    const out = await exportTo(path.join(root, 'logreg'), logreg);
    expect(out.files).toEqual(['arrays.bin', 'manifest.json', 'model.json', 'preprocessing.json', 'reference-profile.json']);
    const loaded = await loadBundle(out.path);
    const coef = (m: ModelSpec) => (m.classical as { coef: Float64Array }).coef;
    expect(coef(loaded.model)).toBeInstanceOf(Float64Array);
    expect(coef(loaded.model)).toEqual(coef(logreg.model));
    // The coefficients are raw float64 bytes, not decimal text in model.json.
    expect(await readFile(path.join(out.path, 'model.json'), 'utf8')).not.toContain(String(coef(logreg.model)[0]));
    const preds = await predictBundle(loaded, logreg.rows.test, { onInvalid: 'null' });
    const direct = await predictTable(logreg.model, logreg.testX);
    const unseen = logreg.rows.test.findIndex((r) => r.Sex === '.');
    const keep = (values: ArrayLike<unknown>) => Array.from(values).filter((_, i) => i !== unseen);
    expect(keep(preds.array('prob_Gentoo') as ArrayLike<unknown>)).toEqual(keep(direct.array('prob_Gentoo') as ArrayLike<unknown>));
    // A changed byte in arrays.bin is caught by the manifest, like any other file.
    const bin = path.join(out.path, 'arrays.bin');
    const bytes = await readFile(bin);
    bytes[3] ^= 1;
    await writeFile(bin, bytes);
    await expect(loadBundle(out.path)).rejects.toThrow(/arrays.bin does not match the manifest/);
  });

  it('replaces an existing bundle, but never a folder that is not a bundle', async () => {
    const dir = path.join(root, 'replace');
    await exportTo(dir, tree, 'first');
    await exportTo(dir, tree, 'second');
    expect((await loadBundle(dir)).manifest.name).toBe('second');
    const precious = path.join(root, 'precious');
    await mkdir(precious);
    await writeFile(path.join(precious, 'thesis.tex'), 'years of work');
    await expect(exportTo(precious, tree)).rejects.toThrow(NonRetryableError);
    await expect(exportTo(precious, tree)).rejects.toThrow(/not an mlcycle bundle/);
    expect(existsSync(path.join(precious, 'thesis.tex'))).toBe(true);
  });
});

describe('loadBundle refuses damaged bundles', () => {
  it('a model file changed after export', async () => {
    const dir = await freshBundle('tampered-model');
    const file = path.join(dir, 'model.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"decision-tree"', '"decision-trees"'));
    await expect(loadBundle(dir)).rejects.toThrow(IntegrityError);
    await expect(loadBundle(dir)).rejects.toThrow(/model\.json does not match the manifest/);
  });

  it('a manifest edited by hand (its digest no longer matches)', async () => {
    const dir = await freshBundle('tampered-manifest');
    const file = path.join(dir, 'manifest.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"accuracy": 0.95', '"accuracy": 0.99'));
    await expect(loadBundle(dir)).rejects.toThrow(/manifest\.json was modified after export/);
  });

  it('a missing manifest, invalid JSON, a wrong format, a missing file', async () => {
    const dir = await freshBundle('broken');
    const manifestFile = path.join(dir, 'manifest.json');
    const good = await readFile(manifestFile, 'utf8');
    await writeFile(manifestFile, '{ not json');
    await expect(loadBundle(dir)).rejects.toThrow(/manifest\.json is not valid JSON/);
    await writeFile(manifestFile, good.replace('"mlcycle-bundle"', '"other-bundle"'));
    await expect(loadBundle(dir)).rejects.toThrow(/format is "other-bundle", expected 'mlcycle-bundle'/);
    await writeFile(manifestFile, good);
    await rm(path.join(dir, 'preprocessing.json'));
    await expect(loadBundle(dir)).rejects.toThrow(/preprocessing\.json is missing/);
    await rm(manifestFile);
    await expect(loadBundle(dir)).rejects.toThrow(/manifest\.json is missing/);
  });
});

describe('predictBundle checks input against the feature schema', () => {
  it('lists every missing column and wrong-typed value; extra columns are fine', async () => {
    const loaded = await loadBundle(await freshBundle('inputs'));
    const [first] = tree.rows.test;
    const { Island, 'Body Mass (g)': _mass, ...partial } = first!;
    const err = await predictBundle(loaded, [{ ...partial, 'Beak Length (mm)': 'long', comment: 'extra' }]).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/missing column\(s\): 'Island', 'Body Mass \(g\)'/);
    expect(err.message).toMatch(/column 'Beak Length \(mm\)' must hold number values \(row 1: "long"\)/);
    const ok = await predictBundle(loaded, [{ ...first, comment: 'extra' }]);
    expect(ok.numRows()).toBe(1);
    expect(ok.get('comment', 0)).toBe('extra');
  });
});
