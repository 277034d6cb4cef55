/**
 * A run killed with SIGKILL (as the OOM killer or a power cut would end it) is found dead by the next
 * command that opens the workspace: `runs ls` and `runs show` say interrupted, for the run and its
 * running node, and a new run resumes with the finished nodes as cache hits.
 */
import { describe, expect, it } from '@jest/globals';
import { fixture, newHome, parseJsonStdout, runCli, spawnCli, waitForStderr } from './cli-harness.ts';

const slow = fixture('slow.ts');

describe('mlcycle run killed with SIGKILL', () => {
  it('is shown interrupted (nodes too) and the next run resumes from the cache', async () => {
    const home = newHome();
    const child = spawnCli(['run', slow, '--home', home, '--concurrency', '2'], { env: { MLCYCLE_FIXTURE_SLEEP_MS: '60000' } });
    await waitForStderr(child, 'sleeping 60000ms', 60_000);
    // Past the store's flush delay (100 ms), so the finished nodes are committed, as after any real crash.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGKILL');
    const killed = await child.result;
    expect(killed.signal).toBe('SIGKILL');

    const ls = await runCli(['runs', 'ls', '--home', home, '--json']);
    expect(ls.code).toBe(0);
    const [run] = parseJsonStdout(ls).runs;
    expect(run.status).toBe('interrupted');
    expect(run.error).toContain(`process ${child.pid} on `);
    expect(run.error).toContain('Re-run the same command to resume');
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.startedAt);

    const show = await runCli(['runs', 'show', run.id, '--home', home, '--json']);
    expect(show.code).toBe(0);
    const nodes = Object.fromEntries(parseJsonStdout(show).nodes.map((n: any) => [n.node, n.status]));
    expect(nodes).toEqual({ first: 'succeeded', last: 'succeeded', wait: 'interrupted' });
    const human = await runCli(['runs', 'show', run.id, '--home', home]);
    expect(human.stderr).toMatch(/status: interrupted/);
    expect(human.stderr).toMatch(/wait\s*│\s*fixtures\/wait\s*│\s*interrupted/);

    const again = await runCli(['run', slow, '--home', home, '--json'], { env: { MLCYCLE_FIXTURE_SLEEP_MS: '10' } });
    expect(again.code).toBe(0);
    const cached = Object.fromEntries(parseJsonStdout(again).nodes.map((n: any) => [n.id, n.cached]));
    expect(cached).toEqual({ first: true, last: true, wait: false });
    // The killed run keeps its true end; the new one succeeded.
    const after = parseJsonStdout(await runCli(['runs', 'ls', '--home', home, '--json'])).runs;
    expect(after.map((r: any) => r.status)).toEqual(['succeeded', 'interrupted']);
  }, 120_000);
});
