/**
 * Issue 9: the reference profile exporters/bundle writes (reference-profile.json) from the training
 * rows before preprocessing, how loadBundle reads it, and bundles without one (exported before it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalJson, IntegrityError, ValidationError } from '../../core/index.ts';
import { loadBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { buildBundleProfile, parseBundleProfile } from '../../plugins/monitor/bundle-profile.ts';
import { applyTransform } from '../../plugins/transformers/steps.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let root: string;
let tree: Trained;
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function exportTo(dir: string, reference = tree.reference) {
  const { model, transform, problem, schema } = tree;
  const ctx = makeContext({ run: { id: 'run-1', dag: 'penguins', params: {} } });
  return (await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out: dir, name: 'penguins' }, ctx)).bundle;
}

/** Rewrites the manifest's sha256 sums and digest, as a re-export (or anyone) would. */
function reseal(dir: string): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of Object.keys(manifest.files)) {
    try {
      manifest.files[name] = sha(readFileSync(path.join(dir, name)));
    } catch {
      delete manifest.files[name];
    }
  }
  const { digest: _old, ...body } = manifest;
  writeFileSync(file, JSON.stringify({ ...body, digest: sha(canonicalJson(body)) }));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-profile-'));
  tree = await trainPenguins('tree');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('reference-profile.json in a bundle', () => {
  it('profiles the raw training features by schema type, the predictions and the target, listed in the manifest', async () => {
    const out = await exportTo(path.join(root, 'b'));
    const loaded = await loadBundle(out.path);
    const profile = loaded.referenceProfile!;
    expect(loaded.manifest.files['reference-profile.json']).toMatch(/^[0-9a-f]{64}$/);
    expect(profile.rows).toBe(tree.rows.train.length);
    expect(profile.features.features.map((f) => [f.name, f.kind])).toEqual([
      ['Island', 'categorical'], ['Beak Length (mm)', 'numeric'], ['Beak Depth (mm)', 'numeric'],
      ['Flipper Length (mm)', 'numeric'], ['Body Mass (g)', 'numeric'], ['Sex', 'categorical'],
    ]);
    // Raw values, not standardised ones: the profile is of the data as users send it.
    const mass = profile.features.features.find((f) => f.name === 'Body Mass (g)')!;
    expect(mass.kind === 'numeric' && mass.min).toBeGreaterThan(2000);
    const prediction = profile.prediction!.features[0]!;
    expect(prediction.kind === 'categorical' && Object.keys(prediction.shares).sort()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(prediction.count).toBe(tree.rows.train.length);
    const target = profile.target!.features[0]!;
    const adelie = tree.rows.train.filter((r) => r.Species === 'Adelie').length / tree.rows.train.length;
    expect(target.kind === 'categorical' && target.shares.Adelie).toBeCloseTo(adelie, 12);
    expect(readFileSync(path.join(out.path, 'reference-profile.json')).byteLength).toBeLessThan(200_000);
  });

  it('refuses a reference that is not the raw training rows, naming the missing feature', async () => {
    const preprocessed = applyTransform(tree.reference, tree.transform);
    await expect(exportTo(path.join(root, 'wrong'), preprocessed)).rejects.toThrow(/training rows have no column 'Island'.*BEFORE preprocessing/);
  });

  it('a bundle exported before profiles (no file) still loads, with referenceProfile null', async () => {
    const out = await exportTo(path.join(root, 'old'));
    rmSync(path.join(out.path, 'reference-profile.json'));
    reseal(out.path);
    const loaded = await loadBundle(out.path);
    expect(loaded.referenceProfile).toBeNull();
  });

  it('refuses a bundle whose profile is malformed, even when the manifest was re-sealed', async () => {
    const out = await exportTo(path.join(root, 'bad'));
    const file = path.join(out.path, 'reference-profile.json');
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    profile.features.features[1].sample = ['x'];
    writeFileSync(file, JSON.stringify(profile));
    reseal(out.path);
    const err = await loadBundle(out.path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as Error).message).toMatch(/reference-profile.json: features.features\[1\].sample is not a non-empty list of finite numbers/);
  });
});

describe('buildBundleProfile / parseBundleProfile', () => {
  const features = [
    { name: 'x', type: 'number' as const, missingRatio: 0 }, { name: 'when', type: 'date' as const, missingRatio: 0 },
    { name: 'empty', type: 'string' as const, missingRatio: 1 }, { name: 'flag', type: 'boolean' as const, missingRatio: 0 },
  ];
  const columns = { x: [1, 2, 3], when: [new Date(0), new Date(1), new Date(2)], empty: [null, '', null], flag: [true, false, true], y: [1.5, 2.5, 3.5] };

  it('skips dates and empty columns with a reason, and profiles a regression target and predictions as numbers', () => {
    const profile = buildBundleProfile({ columns, features, problem: { target: 'y', task: 'regression' }, predictions: [1, 2, 3] });
    expect(profile.features.features.map((f) => [f.name, f.kind])).toEqual([['x', 'numeric'], ['flag', 'categorical']]);
    expect(profile.skipped).toEqual([{ name: 'when', reason: 'a date column (not monitored)' }, { name: 'empty', reason: 'no value in the training rows' }]);
    expect(profile.prediction!.features[0]).toMatchObject({ name: 'predicted', kind: 'numeric', min: 1, max: 3 });
    expect(profile.target!.features[0]).toMatchObject({ name: 'y', kind: 'numeric', mean: 2.5 });
    // What is written is what is read back.
    expect(parseBundleProfile(JSON.parse(JSON.stringify(profile)))).toEqual(JSON.parse(JSON.stringify(profile)));
  });

  it('reads shares into null-prototype maps and refuses inherited or non-finite fields', () => {
    const profile = JSON.parse(JSON.stringify(buildBundleProfile({ columns: { c: ['__proto__', 'a'] }, features: [{ name: 'c', type: 'string', missingRatio: 0 }], problem: { target: 'y', task: 'binary' }, predictions: null })));
    const parsed = parseBundleProfile(profile);
    const c = parsed.features.features[0]!;
    expect(c.kind === 'categorical' && Object.getPrototypeOf(c.shares)).toBeNull();
    expect(c.kind === 'categorical' && c.shares.__proto__).toBe(0.5);
    expect(() => parseBundleProfile({ ...profile, format: 'other' })).toThrow(ValidationError);
    expect(() => parseBundleProfile(Object.create(profile))).toThrow(/is not a version-1/);
    const bad = JSON.parse(JSON.stringify(profile));
    bad.features.features[0].missingShare = 2;
    expect(() => parseBundleProfile(bad)).toThrow(/features.features\[0\].missingShare is not a share/);
  });
});
