/**
 * Issue 9, the promotion gate (deploy/register) as a user meets it: `mlcycle run` of a DAG whose last
 * node registers its bundle and moves `champion` only when better, on real bundles, a real registry
 * and SQLite. One workspace across the steps, each building on the last: a weak first champion, a
 * better one promoted, a margin that holds it back, re-runs that reuse the registered version instead
 * of adding one (a changed gate param, a lost cache entry), a worse candidate and one under the
 * threshold registered without promotion, and a tampered champion that blocks promotion.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { appendFileSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, parseJsonStdout, runCli, tempDir } from './cli-harness.ts';

let dir: string;
let home: string;

interface Step { decision: Record<string, any>; cached: string[]; ran: string[]; stderr: string; runId: string }

async function gate(params: Record<string, string | number>, extra: string[] = []): Promise<Step> {
  const args = Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
  const run = await runCli(['--home', home, 'run', fixture('gate.ts'), ...args, ...extra, '--json'], { cwd: dir, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined, MLCYCLE_BUNDLE_SIGNING_KEY: undefined } });
  if (run.code !== 0) throw new Error(`mlcycle run failed (${run.code}):\n${run.stderr}`);
  const summary = parseJsonStdout(run);
  const nodes = summary.nodes as Array<{ id: string; cached: boolean }>;
  return { decision: summary.outputs.decision, cached: nodes.filter((n) => n.cached).map((n) => n.id), ran: nodes.filter((n) => !n.cached).map((n) => n.id), stderr: run.stderr, runId: summary.runId };
}

async function registry(): Promise<{ versions: number[]; champion: number | undefined; history: Array<Record<string, any>> }> {
  const shown = parseJsonStdout(await runCli(['--home', home, 'models', 'show', 'penguins', '--json']));
  return { versions: shown.versions.map((v: { version: number }) => v.version), champion: shown.aliases.champion, history: shown.history };
}

beforeAll(() => {
  dir = tempDir('mlcycle-gate-');
  home = join(dir, 'home');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy/register: the promotion gate', () => {
  let champion2 = 0;

  it('registers and promotes the first model when it passes the threshold, and prints the decision', async () => {
    const s = await gate({ maxDepth: 1, out: 'b1', threshold: 0 });
    expect(s.decision).toMatchObject({ model: 'penguins', version: 1, alias: 'champion', promoted: true, previousVersion: null, champion: null, metric: 'accuracy', direction: 'maximize', reused: false });
    expect(s.decision.reason).toMatch(/^promoted v1 to champion: accuracy 0\.\d+ \(passes the threshold 0\) on \d+ held-out rows; there was no champion before$/);
    expect(s.decision.dir).toBe(join(home, 'models', 'penguins', '1'));
    // The run summary shows the sentence, not the JSON.
    expect(s.stderr).toContain(`decision: ${s.decision.reason}`);
    expect(await registry()).toMatchObject({ versions: [1], champion: 1 });
  }, 120_000);

  it('promotes a better candidate over the champion, scored on the same rows, and records who and why in the alias history', async () => {
    const s = await gate({ maxDepth: 2, out: 'b2' });
    expect(s.decision).toMatchObject({ version: 2, promoted: true, previousVersion: 1 });
    expect(s.decision.candidate).toBeGreaterThan(s.decision.champion);
    expect(s.decision.reason).toBe(`promoted v2 to champion: accuracy ${+s.decision.candidate.toFixed(4)} beats v1's ${+s.decision.champion.toFixed(4)} by more than 0 on ${s.decision.rows} held-out rows`);
    champion2 = s.decision.candidate;
    const r = await registry();
    expect(r).toMatchObject({ versions: [1, 2], champion: 2 });
    expect(r.history.at(-1)).toMatchObject({ alias: 'champion', from: 1, to: 2, by: `mlcycle run ${s.runId}`, why: s.decision.reason });
  }, 120_000);

  it('holds back a better candidate that does not clear the margin (in a worker thread too), then promotes the same version, not a copy, once the margin allows', async () => {
    const held = await gate({ maxDepth: 6, out: 'b6', margin: 0.5 }, ['--executor', 'threads']);
    expect(held.decision).toMatchObject({ version: 3, promoted: false, previousVersion: 2, champion: champion2, margin: 0.5 });
    expect(held.decision.candidate).toBeGreaterThan(champion2);
    expect(held.decision.reason).toContain(`registered v3 without promotion: accuracy ${+held.decision.candidate.toFixed(4)} does not beat v2's`);
    expect(held.decision.reason).toContain('by more than 0.5');
    expect(await registry()).toMatchObject({ versions: [1, 2, 3], champion: 2 });

    // Only the gate's param changed: the export is a cache hit, the gate runs again on the same bundle.
    const again = await gate({ maxDepth: 6, out: 'b6', margin: 0 });
    expect(again.ran).toEqual(['register']);
    expect(again.decision).toMatchObject({ version: 3, reused: true, promoted: true, previousVersion: 2 });
    const r = await registry();
    expect(r).toMatchObject({ versions: [1, 2, 3], champion: 3 });
    expect(r.history.at(-1)).toMatchObject({ from: 2, to: 3, why: again.decision.reason });
  }, 180_000);

  it('re-registers nothing when the gate recomputes after its cache entry is gone, and is all cache hits otherwise', async () => {
    const db = new Database(join(home, 'mlcycle.db'));
    expect(db.prepare("delete from cache_entries where task = 'deploy/register'").run().changes).toBeGreaterThan(0);
    db.close();
    const s = await gate({ maxDepth: 6, out: 'b6', margin: 0 });
    expect(s.ran).toEqual(['register']);
    expect(s.decision).toMatchObject({ version: 3, reused: true, promoted: false });
    expect(s.decision.reason).toMatch(/^v3 is already champion: nothing to promote/);
    const cached = await gate({ maxDepth: 6, out: 'b6', margin: 0 });
    expect(cached.ran).toEqual([]);
    expect(await registry()).toMatchObject({ versions: [1, 2, 3], champion: 3 });
  }, 180_000);

  it('registers a worse candidate, and one under the threshold, without moving the alias', async () => {
    const worse = await gate({ maxDepth: 1, out: 'b1-again' });
    expect(worse.decision).toMatchObject({ version: 4, promoted: false, previousVersion: 3 });
    expect(worse.decision.reason).toMatch(/^registered v4 without promotion: accuracy [\d.]+ does not beat v3's [\d.]+ by more than 0 on \d+ held-out rows; champion stays v3$/);

    const low = await gate({ maxDepth: 2, out: 'b2-again', threshold: 0.99 });
    expect(low.decision).toMatchObject({ version: 5, promoted: false, previousVersion: 3, threshold: 0.99 });
    expect(low.decision.reason).toMatch(/^registered v5 without promotion: accuracy [\d.]+ is below the threshold 0.99 on \d+ held-out rows; champion stays v3$/);
    expect(await registry()).toMatchObject({ versions: [1, 2, 3, 4, 5], champion: 3 });
  }, 180_000);

  it('does not promote over a champion that cannot be loaded (tampered), and says why', async () => {
    const model = join(home, 'models', 'penguins', '3', 'model.json');
    chmodSync(model, 0o644);
    appendFileSync(model, ' ');
    const s = await gate({ maxDepth: 6, out: 'b6-again' });
    expect(s.decision).toMatchObject({ version: 6, promoted: false, previousVersion: 3, champion: null });
    expect(s.decision.reason).toContain('registered v6 without promotion: the champion v3 could not be evaluated on the held-out rows (');
    expect(s.decision.reason).toContain('mlcycle models alias penguins champion 6');
    expect(s.stderr).toContain(`decision: ${s.decision.reason}`);
    expect(await registry()).toMatchObject({ versions: [1, 2, 3, 4, 5, 6], champion: 3 });
  }, 120_000);

  it('is no cache hit once the registered version folder is gone: the bundle is registered again', async () => {
    rmSync(join(home, 'models', 'penguins', '6'), { recursive: true, force: true });
    const s = await gate({ maxDepth: 6, out: 'b6-again' });
    expect(s.ran).toEqual(['register']);
    expect(s.stderr).toContain('cached result no longer valid outside the store (the registered penguins v6 no longer holds this bundle');
    expect(s.decision).toMatchObject({ version: 7, reused: false });
  }, 120_000);
});
