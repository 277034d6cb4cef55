/**
 * Issue 9, "A drift-check task lets a DAG do the same as a node": dags/penguins-drift.ts tests new rows
 * against the champion `npm start` registered, through the CLI as a user runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli, tempDir } from './cli-harness.ts';

let dir: string;
const driftDag = join(repoRoot, 'dags/penguins-drift.ts');
const penguinsFile = join(repoRoot, 'node_modules/vega-datasets/data/penguins.json');
const cli = (args: string[]) => runCli(['--home', join(dir, 'home'), ...args], { cwd: dir, env: { MLCYCLE_BUNDLE_SIGNING_KEY: undefined, MLCYCLE_BUNDLE_PUBLIC_KEY: undefined } });

beforeAll(async () => {
  dir = tempDir('mlcycle-drift-check-');
  const rows = JSON.parse(readFileSync(penguinsFile, 'utf8')) as Array<Record<string, unknown>>;
  // Heavier birds with longer flippers than training saw: two of six features drift, plus beak length.
  const shifted = rows.map((r) => ({
    ...r,
    'Body Mass (g)': typeof r['Body Mass (g)'] === 'number' ? r['Body Mass (g)'] + 700 : null,
    'Flipper Length (mm)': typeof r['Flipper Length (mm)'] === 'number' ? r['Flipper Length (mm)'] + 12 : null,
    'Beak Length (mm)': typeof r['Beak Length (mm)'] === 'number' ? r['Beak Length (mm)'] + 4 : null,
  }));
  writeFileSync(join(dir, 'new.json'), JSON.stringify(shifted));
  const first = await cli(['run', join(repoRoot, 'dags/penguins.ts'), '--param', `out=${join(dir, 'bundle')}`]);
  if (first.code !== 0) throw new Error(`mlcycle run failed (${first.code}):\n${first.stderr}`);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('monitor/drift-check in a DAG', () => {
  it('reports drift against the champion, never from the cache, and fails the run with onDrift=fail', async () => {
    const r = await cli(['run', driftDag, '--param', 'data=new.json', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/report: dataset drift against penguins v1: 3 of 6 features drifted \(Beak Length \(mm\), Flipper Length \(mm\), Body Mass \(g\)\)/);
    const report = JSON.parse(r.stdout).outputs.report;
    expect(report).toMatchObject({ model: 'penguins', version: 1, drift: { dataset: true, drifted: 3 } });
    // The same command again: the loader is a cache hit, the check runs again (the champion may have moved).
    const again = JSON.parse((await cli(['run', driftDag, '--param', 'data=new.json', '--json'])).stdout);
    expect(again.nodes.map((n: { id: string; status: string }) => `${n.id}:${n.status}`)).toEqual(['load:cached', 'drift:succeeded']);

    const failing = await cli(['run', driftDag, '--param', 'data=new.json', '--param', 'onDrift=fail']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/node 'drift' \(monitor\/drift-check\) failed after 1 attempt: monitor\/drift-check: dataset drift against penguins v1/);
  });

  it('passes the training rows themselves, even with onDrift=fail', async () => {
    const r = await cli(['run', driftDag, '--param', `data=${penguinsFile}`, '--param', 'onDrift=fail']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/report: no dataset drift against penguins v1: 0 of 6 features drifted/);
  });

  it('names what is missing: no data param (exit 2), an unknown alias (exit 2)', async () => {
    const none = await cli(['run', driftDag]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/param 'data' is required/);
    const alias = await cli(['run', driftDag, '--param', 'data=new.json', '--param', 'model=models:/penguins@staging']);
    expect(alias.code).toBe(2);
    expect(alias.stderr).toMatch(/no alias 'staging'/);
  });
});
