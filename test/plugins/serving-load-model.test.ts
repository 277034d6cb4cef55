import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataError, IntegrityError, ValidationError } from '../../core/index.ts';
import { predictBundle, loadBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { loadModel as rootLoadModel } from '../../plugins/index.ts';
import { openModelRegistry } from '../../plugins/registry/model-registry.ts';
import { loadModel } from '../../plugins/serving/load-model.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let root: string;
let tree: Trained;
let bundleDir: string;
const run = { id: 'run-1', dag: 'penguins', file: 'dags/penguins.ts', params: {} };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-load-model-'));
  tree = await trainPenguins('tree');
  bundleDir = path.join(root, 'bundle');
  const { model, transform, problem, schema, reference } = tree;
  await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.95 }, reference }, { out: bundleDir, name: 'penguins' }, makeContext({ run }));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('loadModel (the serving module)', () => {
  it('is the package root export, and predicts a bundle folder as predictBundle does, outputs only', async () => {
    expect(rootLoadModel).toBe(loadModel);
    const model = await loadModel('bundle', { cwd: root });
    expect(model).toMatchObject({ name: 'penguins', version: null, dir: bundleDir });
    const rows = tree.rows.test.filter((r) => r['Beak Length (mm)'] !== null && r.Sex !== null).filter((_, i) => i % 5 === 0);
    const out = await model.predict(rows);
    const expected = (await predictBundle(await loadBundle(bundleDir), rows)).objects() as Array<Record<string, unknown>>;
    expect(out).toHaveLength(rows.length);
    expect(Object.keys(out[0]!).sort()).toEqual(['predicted', 'prob_Adelie', 'prob_Chinstrap', 'prob_Gentoo']);
    out.forEach((o, i) => {
      for (const [k, v] of Object.entries(o)) expect(v).toEqual(expected[i]![k]);
    });
    expect(new Set(out.map((o) => o.predicted))).toEqual(new Set(['Adelie', 'Chinstrap', 'Gentoo']));
  });

  it('refuses an invalid row by default, naming it, and reports it under onInvalid null', async () => {
    const model = await loadModel(bundleDir);
    const good = tree.rows.test[0]!;
    const bad = { ...good, Island: 'Atlantis' };
    await expect(model.predict([good, bad])).rejects.toThrow(DataError);
    await expect(model.predict([good, bad])).rejects.toThrow(/row 2.*Island|Island.*row 2/s);
    const out = await model.predict([good, bad], { onInvalid: 'null' });
    expect(out[0]!.invalid_reason).toBeNull();
    expect(out[1]!.predicted).toBeNull();
    expect(String(out[1]!.invalid_reason)).toMatch(/Island/);
  });

  it('loads registered versions by number and alias, verified against the recorded manifest', async () => {
    const home = path.join(root, 'ws');
    const registry = openModelRegistry(home);
    try {
      await registry.register(bundleDir, { name: 'penguins' });
      await registry.register(bundleDir, { name: 'penguins' });
      registry.setAlias('penguins', 'champion', 1);
    } finally {
      registry.close();
    }
    const byAlias = await loadModel('models:/penguins@champion', { home });
    expect(byAlias).toMatchObject({ name: 'penguins', version: 1, dir: path.join(home, 'models', 'penguins', '1') });
    expect((await loadModel('models:/penguins/2', { home })).version).toBe(2);
    // MLCYCLE_HOME is the default home, as for the CLI.
    expect((await loadModel('models:/penguins@champion', { env: { MLCYCLE_HOME: home } })).version).toBe(1);
    await expect(loadModel('models:/penguins@staging', { home })).rejects.toThrow(ValidationError);
    await expect(loadModel('models:/penguins/9', { home })).rejects.toThrow(/no version 9/);
    // A registered copy edited and re-sealed is still refused: its manifest is not the recorded one.
    const manifestFile = path.join(home, 'models', 'penguins', '2', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    manifest.created = '2000-01-01T00:00:00.000Z';
    await writeFile(manifestFile, JSON.stringify(manifest));
    await expect(loadModel('models:/penguins/2', { home })).rejects.toThrow(IntegrityError);
  });

  it('names the workspace when it has no registry, and creates nothing there', async () => {
    const home = path.join(root, 'nowhere');
    await expect(loadModel('models:/penguins@champion', { home })).rejects.toThrow(ValidationError);
    await expect(loadModel('models:/penguins@champion', { home })).rejects.toThrow(/no model registry in the workspace .*nowhere/);
    expect(existsSync(home)).toBe(false);
  });
});
