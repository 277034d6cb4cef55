/**
 * `mlcycle sweep` and `mlcycle sweeps` as a user runs them, on the toy DAG (a shared prefix and a
 * scored, stepped curve): same seed → same trials; the shared prefix executes once per study, with
 * parallel trials too; kill -9 mid-study then the same command resumes it; bad spaces and objectives
 * exit 2 before (or right after) the first trial; pruned trials cache nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStudyStore, openWorkspace } from '../../core/index.ts';
import { fixture, newHome, parseJsonStdout, runCli, spawnCli, storeExists, tempDir, waitForStderr } from './cli-harness.ts';

const toy = fixture('sweep-toy.ts');
const toySweep = fixture('sweep-toy.sweep.ts');
const xy = ['--space', 'x=float(0,1)', '--space', 'y=float(0,1)', '--objective', 'result.score', '--direction', 'maximize'];

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

describe('mlcycle sweep', () => {
  it('runs a sweep file: --json holds every trial and the best; the same seed gives the same trials; the prefix runs once', async () => {
    const counter = join(tempDir(), 'count.txt');
    const a = await runCli(['sweep', toySweep, '--home', newHome(), '--json'], { env: { MLCYCLE_FIXTURE_COUNTER: counter } });
    expect(a.code).toBe(0);
    const ja = parseJsonStdout(a);
    expect(ja.trials).toHaveLength(8);
    expect(ja.trials.every((t: any) => t.state === 'complete')).toBe(true);
    const values = ja.trials.map((t: any) => t.value);
    expect(ja.best.value).toBe(Math.max(...values));
    expect(ja.best.params).toEqual(ja.trials.find((t: any) => t.number === ja.best.trial).params);
    expect(ja.best.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(Object.keys(ja.trials[0].params).sort()).toEqual(['shape', 'x', 'y']);
    // One shared node, executed once for 8 trials.
    expect(lines(counter).filter((l) => l === 'prefix:end')).toHaveLength(1);
    expect(a.stderr).toMatch(/trial 8\/8 #\d+ /);
    expect(a.stderr).toMatch(/best: trial #\d+, result\.score = /);

    const b = await runCli(['sweep', toySweep, '--home', newHome(), '--json']);
    expect(parseJsonStdout(b).trials.map((t: any) => t.params)).toEqual(ja.trials.map((t: any) => t.params));
    const c = await runCli(['sweep', toySweep, '--home', newHome(), '--json', '--seed', '8']);
    expect(parseJsonStdout(c).trials.map((t: any) => t.params)).not.toEqual(ja.trials.map((t: any) => t.params));
  }, 120_000);

  it('runs parallel trials in one workspace: two trials that need the prefix at once execute it once', async () => {
    const counter = join(tempDir(), 'count.txt');
    const home = newHome();
    const r = await runCli(['sweep', toy, ...xy, '--home', home, '--trials', '4', '--parallel', '2', '--sampler', 'random', '--json'], {
      env: { MLCYCLE_FIXTURE_COUNTER: counter, MLCYCLE_FIXTURE_PREFIX_MS: '1500' },
    });
    expect(r.code).toBe(0);
    const j = parseJsonStdout(r);
    expect(j.trials).toHaveLength(4);
    expect(lines(counter).filter((l) => l.startsWith('prefix:'))).toEqual(['prefix:start', 'prefix:end']);
    // Both first trials were running while the prefix executed: their runs overlap in time.
    const [t0, t1] = j.trials;
    expect(t1.startedAt).toBeLessThan(t0.finishedAt);
    const ws = openWorkspace({ home, readOnly: true });
    try {
      const prefixRows = j.trials.map((t: any) => ws.store.nodeRuns(t.runId).find((n) => n.node === 'prefix')!);
      expect(prefixRows.filter((n: any) => !n.cached)).toHaveLength(1);
      expect(new Set(prefixRows.map((n: any) => n.key)).size).toBe(1);
    } finally {
      ws.close();
    }
  }, 120_000);

  it('resumes after kill -9: finished trials are kept, the interrupted one runs again with its number and params', async () => {
    const home = newHome();
    const args = ['sweep', toy, ...xy, '--home', home, '--trials', '5', '--sampler', 'random', '--seed', '11', '--param', 'steps=4'];
    const child = spawnCli(args, { env: { MLCYCLE_FIXTURE_STEP_MS: '400' } });
    await waitForStderr(child, 'trial 2/5', 60_000);
    await new Promise((r) => setTimeout(r, 400)); // trial #2 is running now
    child.kill('SIGKILL');
    expect((await child.result).signal).toBe('SIGKILL');

    const killed = parseJsonStdout(await runCli(['sweeps', 'ls', '--home', home, '--json'])).studies[0];
    expect(killed.status).toBe('interrupted');
    const before = parseJsonStdout(await runCli(['sweeps', 'show', killed.name, '--home', home, '--json'])).trials;
    const done = before.filter((t: any) => t.state === 'complete');
    expect(done.length).toBeGreaterThanOrEqual(2);
    const unfinished = before.filter((t: any) => t.state === 'running');
    expect(unfinished).toHaveLength(1);

    const again = await runCli([...args, '--json'], { env: { MLCYCLE_FIXTURE_STEP_MS: '0' } });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`resuming ${killed.name}: .*\\(${done.length} finished, 1 to run again\\)`));
    const after = parseJsonStdout(again).trials;
    expect(after.map((t: any) => t.number)).toEqual([0, 1, 2, 3, 4]);
    expect(after.every((t: any) => t.state === 'complete')).toBe(true);
    for (const t of done) expect(after[t.number]).toMatchObject({ params: t.params, value: t.value, runId: t.runId });
    expect(after[unfinished[0].number].params).toEqual(unfinished[0].params);
    expect(after[unfinished[0].number].runId).not.toBe(unfinished[0].runId);

    // The same command once more: the study is complete, nothing runs.
    const third = await runCli([...args, '--json']);
    expect(third.code).toBe(0);
    expect(parseJsonStdout(third).trials.map((t: any) => t.runId)).toEqual(after.map((t: any) => t.runId));

    // --resume alone (no file, from another folder) extends it as it was asked; changing the question is refused.
    const more = await runCli(['sweep', '--resume', killed.name, '--home', home, '--trials', '6', '--json'], { cwd: tempDir() });
    expect(more.code).toBe(0);
    const extended = parseJsonStdout(more).trials;
    expect(extended).toHaveLength(6);
    expect(extended.slice(0, 5).map((t: any) => t.runId)).toEqual(after.map((t: any) => t.runId));
    const changed = await runCli(['sweep', '--resume', killed.name, '--home', home, '--space', 'x=float(0,2)']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/--resume continues a study as it was asked; drop --space/);
  }, 120_000);

  it('refuses a space that does not fit the DAG before any trial runs (exit 2, each problem named)', async () => {
    const home = newHome();
    const r = await runCli(['sweep', toy, '--home', home, '--space', 'xx=float(0,1)', '--space', 'y=float(1,0)', '--objective', 'result.score', '--direction', 'maximize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'xx'.*not a param of the DAG; did you mean 'x'\?/);
    expect(r.stderr).toMatch(/'y'/);
    expect(r.stderr).not.toMatch(/trial 1\//);
    expect(storeExists(home)).toBe(false);
    const bad = await runCli(['sweep', toy, '--home', home, '--space', 'x=float(0,1)', '--objective', 'result.score', '--direction', 'up']);
    expect(bad.code).toBe(2);
    const noSpace = await runCli(['sweep', toy, '--home', home, '--objective', 'result.score', '--direction', 'maximize']);
    expect(noSpace.code).toBe(2);
    expect(noSpace.stderr).toMatch(/--space/);
  }, 60_000);

  it('stops after the first trial when the objective is not in the results (exit 2, with the paths there are)', async () => {
    const r = await runCli(['sweep', toy, '--home', newHome(), '--space', 'x=float(0,1)', '--objective', 'result.scor', '--direction', 'maximize', '--trials', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/objective 'result\.scor' is not in the DAG's results; did you mean 'result\.score'\?/);
    expect(r.stderr).toMatch(/trial 1\/5/);
    expect(r.stderr).not.toMatch(/trial 2\/5/);
  }, 60_000);

  it('records a failing trial and goes on; a study whose every trial fails exits 1 with the first error', async () => {
    const some = await runCli(['sweep', toy, '--home', newHome(), '--space', 'shape=choice(round,broken)', '--space', 'x=float(0,1)', '--objective', 'result.score', '--direction', 'maximize', '--trials', '6', '--sampler', 'random', '--seed', '2', '--json']);
    expect(some.code).toBe(0);
    const states = parseJsonStdout(some).trials.map((t: any) => `${t.params.shape}:${t.state}`);
    expect(states.filter((s: string) => s.startsWith('broken')).every((s: string) => s === 'broken:failed')).toBe(true);
    expect(states).toContain('broken:failed');
    expect(states).toContain('round:complete');
    const all = await runCli(['sweep', toy, '--home', newHome(), '--space', 'shape=choice(broken)', '--space', 'x=float(0,1)', '--objective', 'result.score', '--direction', 'maximize', '--trials', '3']);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/this shape always fails/);
  }, 60_000);

  it('prunes with the median rule in the step events: pruned trials end pruned and cache nothing', async () => {
    const home = newHome();
    const r = await runCli(['sweep', toySweep, '--home', home, '--trials', '14', '--sampler', 'random', '--pruner', 'median', '--json']);
    expect(r.code).toBe(0);
    const j = parseJsonStdout(r);
    const pruned = j.trials.filter((t: any) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/pruned at step \d/);
    const ws = openWorkspace({ home, readOnly: true });
    try {
      for (const t of pruned) {
        expect(ws.store.getRun(t.runId)!.status).toBe('pruned');
        const curve = ws.store.nodeRuns(t.runId).find((n) => n.node === 'curve')!;
        expect(curve.status).toBe('pruned');
        expect(ws.store.getCacheEntry(curve.key!)).toBeUndefined();
        expect(Object.keys(t.intermediate).length).toBeGreaterThan(0);
        expect(t.prunedStep).toBe(Math.max(...Object.keys(t.intermediate).map(Number)));
      }
    } finally {
      ws.close();
    }
    const store = openStudyStore(join(home, 'mlcycle.db'));
    try {
      expect(store.listStudies()[0]!.counts.pruned).toBe(pruned.length);
    } finally {
      store.close();
    }
  }, 120_000);
});
