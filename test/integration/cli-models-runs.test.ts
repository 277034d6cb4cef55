/**
 * Issue 9, registry: `models register <run-id>` (the run's export, with the run's code and data digests in
 * the lineage) and `models export` (a registered version out as a verified bundle folder), on a real run.
 * The DAG's own gate registers 'penguins' in the same workspace; these registrations use another name.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli, tempDir } from './cli-harness.ts';

let dir: string;
let home: string;
let bundle: string;
let runId: string;
const cli = (args: string[]) => runCli(['--home', home, ...args], { cwd: dir, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined, MLCYCLE_BUNDLE_SIGNING_KEY: undefined } });
const penguinsFile = join(repoRoot, 'node_modules/vega-datasets/data/penguins.json');

beforeAll(async () => {
  dir = tempDir('mlcycle-models-runs-');
  home = join(dir, 'home');
  bundle = join(dir, 'bundle');
  const run = await cli(['run', join(repoRoot, 'dags/penguins.ts'), '--param', `out=${bundle}`, '--param', 'maxIter=30', '--json']);
  if (run.code !== 0) throw new Error(`mlcycle run failed (${run.code}):\n${run.stderr}`);
  runId = JSON.parse(run.stdout).runId;
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('models register <run-id> and models export', () => {
  it('registers the export of a run by id prefix, with code digests per node and the data file digest', async () => {
    const r = await cli(['models', 'register', runId.slice(0, 17), '--name', 'byrun', '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.version).toBe(1);
    expect(v.lineage.runId).toBe(runId);
    expect(v.lineage.runNodes.train).toMatchObject({ task: 'algorithms/mlp', codeDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(v.lineage.runNodes.export.task).toBe('exporters/bundle');
    const sha = createHash('sha256').update(readFileSync(penguinsFile)).digest('hex');
    expect(Object.values(v.lineage.dataFiles)).toContain(sha);
    // The folder form finds the same run through the manifest and records the same lineage.
    const again = JSON.parse((await cli(['models', 'register', bundle, '--name', 'byrun', '--json'])).stdout);
    expect(again.lineage.runNodes).toEqual(v.lineage.runNodes);
  });

  it('refuses a run whose bundle folder was overwritten since, and an unknown run', async () => {
    const other = join(dir, 'other');
    const edited = await cli(['run', join(repoRoot, 'dags/penguins.ts'), '--param', `out=${other}`, '--param', 'maxIter=31', '--json']);
    expect(edited.code).toBe(0);
    const otherRun = JSON.parse(edited.stdout).runId;
    // Another run writes over the same folder: the first run's export is gone from it.
    const overwrite = await cli(['run', join(repoRoot, 'dags/penguins.ts'), '--param', `out=${other}`, '--param', 'maxIter=32']);
    expect(overwrite.code).toBe(0);
    const r = await cli(['models', 'register', otherRun, '--name', 'byrun']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json is not the one recorded/);
    const unknown = await cli(['models', 'register', 'no-such-run', '--name', 'byrun']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/neither a bundle folder nor a run id/);
  }, 120_000);

  it('exports a registered version as a bundle predict accepts, and refuses a tampered copy or a foreign folder', async () => {
    const out = join(dir, 'exported');
    const r = await cli(['models', 'export', 'byrun/1', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'byrun', version: 1, out });
    expect(readdirSync(out).sort()).toEqual(readdirSync(join(home, 'models', 'byrun', '1')).sort());
    const rows = join(dir, 'rows.json');
    writeFileSync(rows, JSON.stringify([{ Island: 'Biscoe', 'Beak Length (mm)': 45.1, 'Beak Depth (mm)': 14.5, 'Flipper Length (mm)': 215, 'Body Mass (g)': 5000, Sex: 'FEMALE' }]));
    const predicted = await cli(['predict', out, rows, '--json']);
    expect(predicted.code).toBe(0);
    expect(JSON.parse(predicted.stdout).predictions[0].predicted).toBe('Gentoo');

    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine\n');
    const refused = await cli(['models', 'export', 'byrun@nope', foreign]);
    expect(refused.code).toBe(2);
    const intoForeign = await cli(['models', 'export', 'byrun/1', foreign]);
    expect(intoForeign.code).toBe(2);
    expect(intoForeign.stderr).toMatch(/not an mlcycle bundle/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);

    const modelFile = join(home, 'models', 'byrun', '2', 'model.json');
    chmodSync(modelFile, 0o644);
    writeFileSync(modelFile, `${readFileSync(modelFile, 'utf8')} `);
    const tampered = await cli(['models', 'export', 'byrun/2', join(dir, 'never')]);
    expect(tampered.code).toBe(2);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
