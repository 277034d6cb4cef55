/**
 * `mlcycle runs show` on a DAG of a few hundred nodes (test/fixtures/dags/wide.ts), as a user runs it:
 * the table lists failures first, then the slowest nodes, up to SUMMARY_LIST_LIMIT, and counts the
 * rest per status; `--all` lists every node as one table; `--json` keeps every node; a small run
 * still lists every node, in the store's order, as before. Runs share one workspace, in order.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { SUMMARY_LIST_LIMIT } from '../../cli/render/summary-nodes.ts';
import { fixture, newHome, parseJsonStdout, runCli } from './cli-harness.ts';

const NODES = 300;
const FAIL = 3;
const wide = fixture('wide.ts');
const home = newHome();

/** Rows of the node table: lines between its box-drawing borders, minus the header. */
function tableRows(stderr: string): string[][] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('│') && !/│ node +│ task/.test(l))
    .map((l) => l.split('│').slice(1, -1).map((cell) => cell.trim()));
}

const show = (id: string, ...flags: string[]) => runCli(['runs', 'show', id, '--home', home, ...flags]);

let freshId: string;
let mixedId: string;
/** The mixed run's nodes as the run summary gave them, and as the store keeps them (`runs show --json`). */
let mixedNodes: Array<{ id: string; status: string }>;
let stored: Array<{ node: string; status: string; durationMs: number; error: { message: string } | null }>;
beforeAll(async () => {
  const fresh = await runCli(['run', wide, '--home', home, '--json', '--param', `nodes=${NODES}`]);
  expect(fresh.code).toBe(0);
  freshId = parseJsonStdout(fresh).runId;
  // Every leaf runs again and the last FAIL leaves fail: failures and succeeded nodes in one run.
  const mixed = await runCli(['run', wide, '--home', home, '--json', '--no-cache', '--param', `nodes=${NODES}`, '--param', `fail=${FAIL}`]);
  expect(mixed.code).toBe(1);
  const summary = parseJsonStdout(mixed);
  mixedId = summary.runId;
  mixedNodes = summary.nodes;
  const json = await runCli(['runs', 'show', mixedId, '--home', home, '--json']);
  expect(json.code).toBe(0);
  stored = parseJsonStdout(json).nodes;
}, 240_000);

describe(`mlcycle runs show on a ${NODES}-node run`, () => {
  it('lists the slowest nodes up to the limit and counts the rest', async () => {
    const r = await show(freshId);
    expect(r.code).toBe(0);
    const rows = tableRows(r.stderr);
    expect(rows).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(rows.every((row) => row[2] === 'succeeded')).toBe(true);
    // The listed ones are the slowest: none of the unlisted took longer than the fastest listed.
    const json = parseJsonStdout(await show(freshId, '--json'));
    expect(json.nodes).toHaveLength(NODES);
    const listed = new Set(rows.map((row) => row[0]));
    const ms = (n: any) => n.durationMs as number;
    const fastestListed = Math.min(...json.nodes.filter((n: any) => listed.has(n.node)).map(ms));
    expect(Math.max(...json.nodes.filter((n: any) => !listed.has(n.node)).map(ms))).toBeLessThanOrEqual(fastestListed);
    expect(r.stderr).toMatch(new RegExp(`^… and ${NODES - SUMMARY_LIST_LIMIT} more succeeded, faster than those listed$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^${NODES} nodes: ${NODES} succeeded \\(every node: --all, or --json\\)$`, 'm'));
  });

  it('lists failures first, with their errors, then the slowest that succeeded', async () => {
    const r = await show(mixedId);
    expect(r.code).toBe(0);
    const rows = tableRows(r.stderr);
    expect(rows).toHaveLength(SUMMARY_LIST_LIMIT);
    const failedIds = stored.filter((n) => n.status === 'failed').map((n) => n.node);
    expect(failedIds).toHaveLength(FAIL);
    expect(rows.slice(0, FAIL).map((row) => row[0])).toEqual(failedIds);
    for (const row of rows.slice(0, FAIL)) {
      expect(row[2]).toBe('failed');
      expect(row[6]).toBe(`leaf ${Number(row[0].slice('leaf-'.length))} fails on purpose`);
    }
    expect(rows.slice(FAIL).every((row) => row[2] === 'succeeded')).toBe(true);
    const durations = rows.slice(FAIL).map((row) => row[0]).map((id) => stored.find((n) => n.node === id)!.durationMs);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    const succeeded = NODES - FAIL - 1;
    expect(r.stderr).toMatch(new RegExp(`^… and ${succeeded - (SUMMARY_LIST_LIMIT - FAIL)} more succeeded, faster than those listed$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^${NODES} nodes: ${FAIL} failed · ${succeeded} succeeded · 1 skipped `, 'm'));
  });

  it('--all lists every node, in the order of --json, as one aligned table', async () => {
    const r = await show(mixedId, '--all');
    expect(r.code).toBe(0);
    const rows = tableRows(r.stderr);
    expect(rows).toHaveLength(NODES);
    expect(rows.map((row) => row[0])).toEqual(stored.map((n) => n.node));
    expect(rows.map((row) => row[2])).toEqual(stored.map((n) => n.status));
    expect(rows.map((row) => row[6])).toEqual(stored.map((n) => n.error?.message ?? ''));
    const lines = r.stderr.split('\n');
    const table = lines.filter((l) => /^[┌│└]/.test(l));
    expect(table.filter((l) => l.startsWith('┌'))).toHaveLength(1);
    expect(table.filter((l) => l.startsWith('└'))).toHaveLength(1);
    expect(table[0].startsWith('┌')).toBe(true);
    expect(table[table.length - 1].startsWith('└')).toBe(true);
    // Every line of the table as wide as its border: the chunks share column widths.
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(r.stderr).not.toMatch(/ nodes: .*\(every node/);
  });

  it('--json keeps every node, with the status the run reported', () => {
    const byId = new Map(stored.map((n) => [n.node, n.status]));
    expect(stored).toHaveLength(NODES);
    expect(byId.size).toBe(NODES);
    for (const n of mixedNodes) expect([n.id, byId.get(n.id)]).toEqual([n.id, n.status]);
  });

  it(`a run of ${SUMMARY_LIST_LIMIT} nodes or fewer lists every node, with no counts`, async () => {
    const small = await runCli(['run', wide, '--home', home, '--json', '--param', `nodes=${SUMMARY_LIST_LIMIT}`]);
    expect(small.code).toBe(0);
    const { runId } = parseJsonStdout(small);
    const r = await show(runId);
    expect(r.code).toBe(0);
    const { nodes } = parseJsonStdout(await show(runId, '--json'));
    expect(nodes).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(tableRows(r.stderr).map((row) => row[0])).toEqual(nodes.map((n: any) => n.node));
    expect(r.stderr).not.toMatch(/nodes: .*(succeeded|cached)/);
    expect(r.stderr).not.toContain('… and');
  }, 60_000);
});
