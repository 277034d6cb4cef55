/**
 * `npm start` as a user runs it on a fresh workspace: dags/penguins.ts ends in the deploy/register gate,
 * which registers v1 and promotes it (no champion yet, the threshold passes), and the summary prints
 * the decision; a second run is all cache hits and registers nothing more.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gateDecisionOf } from '../../plugins/deploy/gate-decision.ts';
import { parseJsonStdout, repoRoot, runCli, tempDir } from './cli-harness.ts';

const dir = tempDir('mlcycle-gate-penguins-');
const home = join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dags/penguins.ts with the promotion gate', () => {
  it('registers and promotes v1 on a fresh workspace, then re-runs as all cache hits without a v2', async () => {
    const env = { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined, MLCYCLE_BUNDLE_SIGNING_KEY: undefined };
    const run = (...extra: string[]) => runCli(['--home', home, 'run', join(repoRoot, 'dags/penguins.ts'), ...extra], { cwd: dir, env });
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/decision: promoted v1 to champion: accuracy [\d.]+ \(passes the threshold 0\.9\) on \d+ held-out rows; there was no champion before\n/);
    expect(first.stderr).toContain('(0/15 nodes cached)');

    const second = await run('--json');
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('(15/15 nodes cached)');
    // The cached decision is the one that was made, printed the same way and readable from the results.
    expect(second.stderr).toMatch(/decision: promoted v1 to champion/);
    expect(gateDecisionOf(parseJsonStdout(second))).toMatchObject({ model: 'penguins', version: 1, promoted: true, previousVersion: null });

    const shown = parseJsonStdout(await runCli(['--home', home, 'models', 'show', 'penguins', '--json']));
    expect(shown.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(shown.aliases).toEqual({ champion: 1 });
    expect(shown.history).toHaveLength(1);
  }, 240_000);
});
