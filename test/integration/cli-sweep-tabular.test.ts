/**
 * The ready sweep over dags/tabular.ts on a real CSV, as a user runs it: algorithm + hyperparameters,
 * then `sweeps best --export` writes the best trial's bundle from the cache (only the export node
 * executes) and `mlcycle predict` accepts it; `sweeps ls`, `show` and `show --report` read the study.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newHome, parseJsonStdout, repoRoot, runCli, tempDir } from './cli-harness.ts';

const iris = join(repoRoot, 'test', 'fixtures', 'data', 'iris.csv');

describe('mlcycle sweep dags/tabular.sweep.ts', () => {
  it('tunes on a CSV, exports the best bundle without retraining, and predicts with it', async () => {
    const home = newHome();
    const out = tempDir();
    // A relative data path: the study keeps the folder it resolves against.
    const r = await runCli(['sweep', 'dags/tabular.sweep.ts', '--home', home, '--param', 'data=test/fixtures/data/iris.csv', '--param', 'target=species', '--trials', '3', '--json']);
    expect(r.code).toBe(0);
    const j = parseJsonStdout(r);
    expect(j.study.dag).toBe('tabular');
    expect(j.trials).toHaveLength(3);
    // The enqueued forest runs first; the sampler picks the others.
    expect(j.trials[0].params).toEqual({ algorithm: 'forest', 'forest.nEstimators': 100, 'forest.maxDepth': 20, 'forest.minSamplesLeaf': 1 });
    expect(j.trials.every((t: any) => t.state === 'complete' && t.value > 0.5 && t.value <= 1)).toBe(true);
    expect(j.best.value).toBeGreaterThan(0.9);
    // Each trial exported to its own folder in the workspace.
    for (const t of j.trials) expect(existsSync(join(home, 'sweeps', j.study.name, `trial-${t.number}`, 'manifest.json'))).toBe(true);

    const bundle = join(out, 'best');
    // From another folder: the study's own folder resolves its relative data path.
    const best = await runCli(['sweeps', 'best', j.study.name, '--home', home, '--export', bundle, '--json'], { cwd: out });
    expect(best.code).toBe(0);
    expect(parseJsonStdout(best)).toMatchObject({ trial: j.best.trial, params: j.best.params, value: j.best.value });
    expect(best.stderr).toMatch(/\d+ nodes from the cache, 1 executed \(export\)/);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.name).toBe('best');

    const predicted = await runCli(['predict', bundle, iris, '--home', home, '--out', join(out, 'preds.csv')]);
    expect(predicted.code).toBe(0);
    expect(readFileSync(join(out, 'preds.csv'), 'utf8').split('\n')[0]).toMatch(/predicted/);

    const ls = parseJsonStdout(await runCli(['sweeps', 'ls', '--home', home, '--json']));
    expect(ls.studies.map((s: any) => s.name)).toEqual([j.study.name]);
    expect(ls.studies[0].counts.complete).toBe(3);
    const show = await runCli(['sweeps', 'show', j.study.name, '--home', home]);
    expect(show.code).toBe(0);
    expect(show.stderr).toMatch(/algorithm=forest/);
    const report = join(out, 'sweep.html');
    const rep = await runCli(['sweeps', 'show', j.study.id.slice(0, 10), '--home', home, '--report', report]);
    expect(rep.code).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html).toContain(j.study.name);
    expect(html).toMatch(/<svg/);

    const unknown = await runCli(['sweeps', 'show', 'no-such-study', '--home', home]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no study 'no-such-study'; recent: /);
  }, 240_000);
});
