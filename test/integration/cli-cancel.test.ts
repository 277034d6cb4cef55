import { describe, expect, it } from '@jest/globals';
import { fixture, newHome, parseJsonStdout, runCli, spawnCli, waitForStderr } from './cli-harness.ts';

describe('mlcycle run: Ctrl-C', () => {
  it('SIGINT mid-run exits 130, records the run as cancelled, and a re-run resumes', async () => {
    const home = newHome();
    const child = spawnCli(['run', fixture('slow.ts'), '--home', home]);
    // `wait` sleeps 30 s unless cancelled: signal once it has started.
    await waitForStderr(child, '▸ wait (fixtures/wait)');
    const sentAt = Date.now();
    child.kill('SIGINT');
    const r = await child.result;
    expect(r.code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/SIGINT: cancelling the run/);
    expect(r.stderr).toContain('re-run the same command to resume');

    const ls = parseJsonStdout(await runCli(['runs', 'ls', '--home', home, '--json']));
    expect(ls.runs).toHaveLength(1);
    const show = parseJsonStdout(await runCli(['runs', 'show', ls.runs[0].id, '--home', home, '--json']));
    expect(show.run.status).toBe('cancelled');

    const resumed = await runCli(['run', fixture('slow.ts'), '--home', home, '--json'], { env: { MLCYCLE_FIXTURE_SLEEP_MS: '10' } });
    expect(resumed.code).toBe(0);
    const s = parseJsonStdout(resumed);
    expect(Object.fromEntries(s.nodes.map((n: any) => [n.id, n.cached]))).toEqual({ first: true, wait: false, last: true });
  });

  it('exits promptly after a cancel even when a task ignores its abort signal', async () => {
    const home = newHome();
    const child = spawnCli(['run', fixture('slow.ts'), '--home', home], { env: { MLCYCLE_FIXTURE_IGNORE_ABORT: '1' } });
    await waitForStderr(child, '▸ wait (fixtures/wait)');
    const sentAt = Date.now();
    child.kill('SIGINT');
    const r = await child.result;
    // The task would hold the event loop for 30 s; the CLI must not wait for it.
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect([r.code, r.signal]).toEqual([130, null]);
  });

  it('SIGTERM cancels the same way: exit 130 and the run recorded as cancelled', async () => {
    const home = newHome();
    const child = spawnCli(['run', fixture('slow.ts'), '--home', home]);
    await waitForStderr(child, '▸ wait (fixtures/wait)');
    child.kill('SIGTERM');
    const r = await child.result;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGTERM: cancelling the run/);
    const ls = parseJsonStdout(await runCli(['runs', 'ls', '--home', home, '--json']));
    expect(ls.runs[0].status).toBe('cancelled');
  });
});
