/**
 * Class 1 of issue 7 through the CLI as a user runs it: non-finite and inexact numbers in --param
 * are refused before any node runs (exit 2), own-property params (`__proto__`) are unknown params,
 * and a training node whose model is not finite fails (exit 2), leaves a `failed` run and is never
 * served from the cache.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newHome, parseJsonStdout, repoRoot, runCli, storeExists, tempDir } from './cli-harness.ts';

const penguins = join(repoRoot, 'dags', 'penguins.ts');

async function runStatuses(home: string): Promise<string[]> {
  const ls = await runCli(['runs', 'ls', '--home', home, '--json']);
  expect(ls.code).toBe(0);
  return parseJsonStdout(ls).runs.map((r: { status: string }) => r.status);
}

describe('--param numbers are finite and exact, names are own keys', () => {
  it.each([
    ['maxIter=1e400', '--param maxIter=1e400: 1e400 is not a finite number'],
    ['learningRate=1e400', '--param learningRate=1e400: 1e400 is not a finite number'],
    ['maxIter=9007199254740993', '--param maxIter=9007199254740993: 9007199254740993 is not exactly representable; integers must be within ±2^53'],
    ['hiddenLayers=[16,1e999]', '--param hiddenLayers=[16,1e999]: 1e999 is not a finite number'],
    ['__proto__={"maxIter":1}', "unknown param '__proto__'; known params: data, testFraction, maxIter"],
    ['constructor=1', "unknown param 'constructor'"],
  ])('run --param %s exits 2 naming it, before any node runs', async (flag, message) => {
    const home = newHome();
    const out = await runCli(['run', penguins, '--home', home, '--param', flag, '--param', `out=${join(tempDir(), 'bundle')}`]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).not.toMatch(/^✓ load/m);
    expect(storeExists(home) ? await runStatuses(home) : []).toEqual([]);
  }, 60_000);
});

describe('a diverged training node fails, is recorded failed and is not cached', () => {
  it('penguins with a learning rate of 1e150: exit 2, run failed, the re-run trains again, a sane re-run succeeds', async () => {
    const home = newHome();
    const out = `out=${join(tempDir(), 'bundle')}`;
    const bad = ['run', penguins, '--home', home, '--param', 'learningRate=1e150', '--param', out, '--json'];
    const first = await runCli(bad);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/✗ train: mlp: training diverged \(non-finite loss or weights\)/);
    const s1 = parseJsonStdout(first);
    expect(s1.status).toBe('failed');
    expect(s1.nodes.find((n: { id: string }) => n.id === 'train')).toMatchObject({ status: 'failed', cached: false });

    const again = parseJsonStdout(await runCli(bad));
    expect(again.nodes.find((n: { id: string }) => n.id === 'load')).toMatchObject({ cached: true });
    expect(again.nodes.find((n: { id: string }) => n.id === 'train')).toMatchObject({ status: 'failed', cached: false });

    const good = await runCli(['run', penguins, '--home', home, '--param', 'maxIter=50', '--param', out, '--json']);
    expect(good.code).toBe(0);
    const s3 = parseJsonStdout(good);
    expect(s3.nodes.find((n: { id: string }) => n.id === 'train')).toMatchObject({ status: 'succeeded', cached: false });
    expect(s3.nodes.find((n: { id: string }) => n.id === 'evaluate')).toMatchObject({ status: 'succeeded' });
    expect(await runStatuses(home)).toEqual(['succeeded', 'failed', 'failed']);
  }, 240_000);

  it('a k-NN fitted on features of 1e200 fails in its worker with the finite-model check; fixed data trains anew', async () => {
    const dir = tempDir();
    const rows = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'penguins.json'), 'utf8')) as Array<Record<string, unknown>>;
    const numeric = rows
      .filter((r) => typeof r['Beak Length (mm)'] === 'number' && typeof r['Body Mass (g)'] === 'number')
      .map((r) => ({ beak: r['Beak Length (mm)'] as number, mass: r['Body Mass (g)'] as number, species: r.Species }));
    writeFileSync(join(dir, 'sane.json'), JSON.stringify(numeric));
    writeFileSync(join(dir, 'huge.json'), JSON.stringify(numeric.map((r) => ({ ...r, mass: r.mass * 1e200 }))));
    const at = (p: string) => pathToFileURL(join(repoRoot, p)).href;
    writeFileSync(join(dir, 'knn-dag.ts'), `
import { dag, Type } from '${at('core/index.ts')}';
import { knn } from '${at('plugins/algorithms/knn.ts')}';
import { jsonLoader } from '${at('plugins/loaders/json.ts')}';
import { defineProblem } from '${at('plugins/problem/define.ts')}';
export default dag('knn-huge', (b) => {
  const data = b.param('data', Type.String(), 'huge.json');
  const { table } = b.add('load', jsonLoader, {}, { path: data });
  const { problem } = b.add('define', defineProblem, { table }, { target: 'species', metric: 'accuracy' });
  const { model } = b.add('train', knn, { train: table, problem });
  return { model };
});
`);
    const home = newHome();
    const first = await runCli(['run', join(dir, 'knn-dag.ts'), '--home', home, '--json'], { cwd: dir });
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/✗ train: knn: the trained model holds Infinity at model\.scaling\.std\[1\]; the fit diverged or overflowed: scale the features/);
    expect(parseJsonStdout(first).nodes.find((n: { id: string }) => n.id === 'train')).toMatchObject({ status: 'failed', cached: false });

    const fixed = await runCli(['run', join(dir, 'knn-dag.ts'), '--home', home, '--param', 'data=sane.json', '--json'], { cwd: dir });
    expect(fixed.code).toBe(0);
    expect(parseJsonStdout(fixed).nodes.find((n: { id: string }) => n.id === 'train')).toMatchObject({ status: 'succeeded', cached: false });
    expect(await runStatuses(home)).toEqual(['succeeded', 'failed']);
  }, 120_000);
});
