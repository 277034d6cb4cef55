/**
 * Issue 9, the maintain loop end to end, as a user runs it: `npm start`'s DAG registers and promotes v1;
 * `mlcycle monitor models:/penguins@champion --data new.csv --retrain dags/penguins.ts --param data=new.csv`
 * finds drift, re-runs the same DAG on the new rows, and its gate promotes the retrained model only
 * because it beats the champion on the new held-out rows; the same data then shows no drift against the
 * new champion, and nothing is retrained.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli, tempDir } from './cli-harness.ts';

let dir: string;
const dagFile = join(repoRoot, 'dags/penguins.ts');
const penguinsFile = join(repoRoot, 'node_modules/vega-datasets/data/penguins.json');
const cli = (args: string[]) => runCli(['--home', join(dir, 'home'), ...args], { cwd: dir, env: { MLCYCLE_BUNDLE_SIGNING_KEY: undefined, MLCYCLE_BUNDLE_PUBLIC_KEY: undefined } });

/** Penguins as CSV with three measurements shifted up: bigger birds than training ever saw. */
function shiftedCsv(file: string): void {
  const rows = JSON.parse(readFileSync(penguinsFile, 'utf8')) as Array<Record<string, number | string | null>>;
  const columns = Object.keys(rows[0]!);
  const shift: Record<string, number> = { 'Flipper Length (mm)': 12, 'Body Mass (g)': 700, 'Beak Length (mm)': 4 };
  const cell = (c: string, v: number | string | null) => (v === null ? '' : typeof v === 'number' ? String(v + (shift[c] ?? 0)) : v);
  writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => cell(c, r[c]!)).join(','))].join('\n') + '\n');
}

beforeAll(async () => {
  dir = tempDir('mlcycle-retrain-');
  shiftedCsv(join(dir, 'new.csv'));
  const first = await cli(['run', dagFile, '--param', `out=${join(dir, 'bundles/penguins')}`]);
  if (first.code !== 0) throw new Error(`mlcycle run failed (${first.code}):\n${first.stderr}`);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('monitor --retrain', () => {
  it('retrains nothing without dataset drift (the training data itself)', async () => {
    const r = await cli(['monitor', 'models:/penguins@champion', '--data', penguinsFile, '--retrain', dagFile, '--param', `data=${penguinsFile}`, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no dataset drift: nothing retrained/);
    expect(JSON.parse(r.stdout).retrain).toBeNull();
    const models = JSON.parse((await cli(['models', 'ls', '--json'])).stdout);
    expect(models.models[0]).toMatchObject({ name: 'penguins', versions: 1, aliases: { champion: 1 } });
  });

  it('on drift re-runs the DAG on the new rows and the gate promotes the model that beats the champion there', async () => {
    const r = await cli(['monitor', 'models:/penguins@champion', '--data', 'new.csv', '--retrain', dagFile,
      '--param', 'data=new.csv', '--param', `out=${join(dir, 'bundles/penguins')}`, '--json']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.drift.dataset).toBe(true);
    expect(out.retrain).toMatchObject({ status: 'succeeded', code: 0, cached: [] });
    // New data reaches every node through the loader: the whole lifecycle re-ran, gate included.
    expect(out.retrain.executed).toEqual(expect.arrayContaining(['load', 'train', 'export', 'register']));
    const d = out.retrain.decision;
    expect(d).toMatchObject({ model: 'penguins', alias: 'champion', version: 2, previousVersion: 1, promoted: true });
    expect(d.candidate).toBeGreaterThan(d.champion);
    expect(r.stderr).toMatch(/champion: penguins@champion is now v2 \(was v1\): promoted v2 to champion/);
    const show = JSON.parse((await cli(['models', 'show', 'penguins@champion', '--json'])).stdout);
    expect(show.selected.version).toBe(2);
    expect(show.history.map((h: { to: number }) => h.to)).toEqual([1, 2]);

    // Against the new champion (trained on these rows) the same data is no longer drift.
    const again = await cli(['monitor', 'models:/penguins@champion', '--data', 'new.csv', '--retrain', dagFile, '--param', 'data=new.csv']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/no dataset drift: nothing retrained/);
  }, 120_000);

  it('refuses a retraining DAG that does not build before monitoring: exit 2, no report printed or written', async () => {
    const r = await cli(['monitor', 'models:/penguins@champion', '--data', 'new.csv', '--report', 'drift.html', '--retrain', dagFile, '--param', 'maxIter=0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/maxIter/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'drift.html'))).toBe(false);
    const missing = await cli(['monitor', 'models:/penguins@champion', '--data', 'new.csv', '--retrain', 'dags/nope.ts']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.ts/);
    expect(missing.stdout).toBe('');
  });

  it('refuses --param without --retrain (exit 2), before reading anything', async () => {
    const r = await cli(['monitor', 'models:/penguins@champion', '--data', 'new.csv', '--param', 'data=new.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--param sets the params of the --retrain DAG/);
  });
});
