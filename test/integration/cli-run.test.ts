import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, newHome, parseJsonStdout, runCli, storeExists, tempDir } from './cli-harness.ts';

describe('mlcycle run → re-run → runs → plan (diamond)', () => {
  it('caches, records, explains', async () => {
    const home = newHome();
    const first = await runCli(['run', fixture('diamond.ts'), '--home', home, '--json']);
    expect(first.code).toBe(0);
    // --json: exactly one JSON object on stdout; everything human went to stderr.
    const s1 = parseJsonStdout(first);
    expect(Object.keys(s1)).toEqual(expect.arrayContaining(['runId', 'dag', 'status', 'nodes', 'outputs']));
    expect(s1).toMatchObject({ dag: 'diamond', status: 'succeeded', outputs: { total: 9, scores: { total: 9 } } });
    expect(s1.nodes.map((n: any) => [n.id, n.status, n.cached])).toEqual([
      ['source', 'succeeded', false], ['left', 'succeeded', false], ['right', 'succeeded', false],
      ['join', 'succeeded', false], ['report', 'succeeded', false],
    ]);
    expect(first.stderr).toMatch(/^✓ source \(fixtures\/source\) \d+ms/m);
    expect(first.stderr).toMatch(/^  left step 2: loss=0\.5$/m);
    expect(first.stderr).toMatch(/│ node +│ task +│ status +│ cached +│ attempts +│ duration/);

    const second = await runCli(['run', fixture('diamond.ts'), '--home', home, '--json']);
    expect(second.code).toBe(0);
    const s2 = parseJsonStdout(second);
    expect(s2.nodes.every((n: any) => n.cached && n.status === 'cached')).toBe(true);
    expect(second.stderr).toMatch(/^↺ cached join/m);
    expect(second.stderr).toContain('(5/5 nodes cached)');

    // --no-cache executes every node again; global --home may also come before the command.
    const third = await runCli(['--home', home, 'run', fixture('diamond.ts'), '--no-cache', '--json']);
    expect(third.code).toBe(0);
    const s3 = parseJsonStdout(third);
    expect(s3.nodes.map((n: any) => n.cached)).toEqual([false, false, false, false, false]);

    const ls = await runCli(['runs', 'ls', '--home', home, '--json']);
    expect(ls.code).toBe(0);
    expect(parseJsonStdout(ls).runs.map((r: any) => r.id)).toEqual([s3.runId, s2.runId, s1.runId]);

    const report = join(tempDir(), 'report.html');
    const show = await runCli(['runs', 'show', s1.runId.slice(0, -2), '--home', home, '--json', '--report', report]);
    expect(show.code).toBe(0);
    const shown = parseJsonStdout(show);
    expect(shown.run).toMatchObject({ id: s1.runId, status: 'succeeded', params: { n: 3, bump: 2 } });
    expect(shown.nodes).toHaveLength(5);
    expect(shown.metrics).toEqual({ join: { total: 9 } });
    expect(readFileSync(report, 'utf8')).toBe('<!doctype html><h1>total 9</h1>');

    const unknown = await runCli(['runs', 'show', 'zzzz', '--home', home]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run matches 'zzzz'/);

    const human = await runCli(['runs', 'show', s1.runId, '--home', home]);
    expect(human.stderr).toMatch(/status: succeeded/);
    expect(human.stderr).toMatch(/params: n=3 bump=2/);
    expect(human.stderr).toMatch(/join: total=9/);

    const plan = await runCli(['plan', fixture('diamond.ts'), '--home', home, '--param', 'bump=5', '--json']);
    expect(plan.code).toBe(0);
    const byId = Object.fromEntries(parseJsonStdout(plan).nodes.map((e: any) => [e.id, e]));
    expect(byId.source.state).toBe('cached');
    expect(byId.left.state).toBe('cached');
    expect(byId.right.state).toBe('stale');
    expect(byId.right.reasons.join(' ')).toMatch(/param \S+ changed/);
  });

  it('runs ls/show on a fresh workspace: empty list, exit 2 for an id, and no store created', async () => {
    const home = newHome();
    const ls = await runCli(['runs', 'ls', '--home', home, '--json']);
    expect([ls.code, parseJsonStdout(ls)]).toEqual([0, { runs: [] }]);
    const r = await runCli(['runs', 'show', 'zzzz', '--home', home]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no runs in .* yet/);
    expect(storeExists(home)).toBe(false);
  });
});

describe('mlcycle run: failure, resume, retries', () => {
  it('a failed node exits 1 with the failure paragraph; re-running resumes from the cache', async () => {
    const home = newHome();
    const failed = await runCli(['run', fixture('failing.ts'), '--home', home], { env: { MLCYCLE_FIXTURE_FAIL: '1' } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^✗ boom: the boom node exploded on purpose$/m);
    expect(failed.stderr).toMatch(/node 'boom' \(fixtures\/boom\) failed after 1 attempt: the boom node exploded on purpose/);
    expect(failed.stderr).toContain('re-run the same command to resume: completed nodes are cache hits');
    expect(failed.stderr).toMatch(/Skipped as dependants: after/);

    // --report needs an output of kind 'Report', which this DAG has not.
    const [run] = parseJsonStdout(await runCli(['runs', 'ls', '--home', home, '--json'])).runs;
    expect(run.status).toBe('failed');
    const noReport = await runCli(['runs', 'show', run.id, '--home', home, '--report', join(tempDir(), 'r.html')]);
    expect(noReport.code).toBe(2);
    expect(noReport.stderr).toMatch(/has no output of kind 'Report'/);

    const resumed = await runCli(['run', fixture('failing.ts'), '--home', home, '--json']);
    expect(resumed.code).toBe(0);
    const s = parseJsonStdout(resumed);
    expect(Object.fromEntries(s.nodes.map((n: any) => [n.id, n.cached]))).toEqual({ ok: true, boom: false, after: false });
  });

  it('retries are reported one line each', async () => {
    const r = await runCli(['run', fixture('flaky.ts'), '--home', newHome()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^… retrying fetch \(attempt 2 in 20ms\): transient failure 1 of 2$/m);
    expect(r.stderr).toMatch(/^… retrying fetch \(attempt 3 in 40ms\)/m);
    expect(r.stderr).toMatch(/│ fetch +│ fixtures\/flaky +│ succeeded +│ +│ 3 /);
  });
});

describe('mlcycle cache', () => {
  it('gc spares a young unreferenced blob unless --grace 0, and never a referenced one', async () => {
    const home = newHome();
    expect((await runCli(['run', fixture('diamond.ts'), '--home', home])).code).toBe(0);
    const bytes = Buffer.from('an artifact no run refers to');
    const digest = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(home, 'objects', digest.slice(0, 2)), { recursive: true });
    const stray = join(home, 'objects', digest.slice(0, 2), digest.slice(2));
    writeFileSync(stray, bytes);
    const kept = await runCli(['cache', 'gc', '--home', home]);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toMatch(/removed 0 unreferenced artifacts .*kept 1 unreferenced but younger than 10 min/);
    expect(existsSync(stray)).toBe(true);
    const gone = parseJsonStdout(await runCli(['cache', 'gc', '--grace', '0', '--home', home, '--json']));
    expect(gone.removed).toEqual([digest]);
    expect(existsSync(stray)).toBe(false);
    const again = await runCli(['run', fixture('diamond.ts'), '--home', home, '--json']);
    expect(parseJsonStdout(again).nodes.every((n: any) => n.cached)).toBe(true);
  });

  it('verify finds a corrupt blob (exit 1) and gc keeps referenced blobs', async () => {
    const home = newHome();
    expect((await runCli(['run', fixture('diamond.ts'), '--home', home])).code).toBe(0);
    const ok = await runCli(['cache', 'verify', '--home', home, '--json']);
    expect(ok.code).toBe(0);
    const v = parseJsonStdout(ok);
    expect(v.checked).toBeGreaterThan(0);
    expect(v.corrupt).toEqual([]);

    const gc = await runCli(['cache', 'gc', '--dry-run', '--home', home, '--json']);
    expect(gc.code).toBe(0);
    expect(parseJsonStdout(gc)).toMatchObject({ dryRun: true, removed: [] });

    const objects = join(home, 'objects');
    const shard = readdirSync(objects).find((d) => /^[0-9a-f]{2}$/.test(d))!;
    const blob = join(objects, shard, readdirSync(join(objects, shard))[0]);
    writeFileSync(blob, 'tampered');
    const bad = await runCli(['cache', 'verify', '--home', home]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/1 corrupt/);
  });
});
