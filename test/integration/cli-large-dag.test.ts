/**
 * The CLI on a 5,000-node DAG (test/fixtures/dags/wide.ts), as a user runs it: the summary names at
 * most SUMMARY_LIST_LIMIT nodes and counts the rest, failures first; the plain view collapses cache
 * hits; `--json` keeps every node; the live terminal view stays bounded. Runs share one workspace
 * in order: fresh run, cached re-run, one failing leaf, many failing leaves.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUMMARY_LIST_LIMIT } from '../../cli/render/summary-nodes.ts';
import { bin, fixture, newHome, parseJsonStdout, repoRoot, runCli, tempDir, type CliResult } from './cli-harness.ts';

const NODES = 5000;
const wide = fixture('wide.ts');
const home = newHome();

/** Rows of the summary table: lines between its box-drawing borders, minus the header. */
function tableRows(stderr: string): string[][] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('│') && !/│ node +│ task/.test(l))
    .map((l) => l.split('│').slice(1, -1).map((cell) => cell.trim()));
}

/** Sum of the counts in collapsed cache-hit lines: `↺ cached 4,990 nodes: …`. */
function collapsedCached(stderr: string): number {
  return [...stderr.matchAll(/^↺ cached ([\d,]+) nodes: /gm)].reduce((k, m) => k + Number(m[1].replace(/,/g, '')), 0);
}

let fresh: CliResult;
beforeAll(async () => {
  fresh = await runCli(['run', wide, '--home', home, '--json']);
}, 300_000);

describe('mlcycle run on a 5,000-node DAG', () => {
  it('a fresh run lists the slowest nodes up to the limit, counts the rest, and --json has every node', () => {
    expect(fresh.code).toBe(0);
    const summary = parseJsonStdout(fresh);
    expect(summary.nodes).toHaveLength(NODES);
    expect(summary.nodes.every((n: any) => n.status === 'succeeded')).toBe(true);
    const rows = tableRows(fresh.stderr);
    expect(rows).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(rows.every((r) => r[2] === 'succeeded')).toBe(true);
    expect(fresh.stderr).toContain(`… and ${(NODES - SUMMARY_LIST_LIMIT).toLocaleString('en-US')} more succeeded, faster than those listed`);
    expect(fresh.stderr).toMatch(/^5,000 nodes: 5,000 succeeded \(every node: --json\)$/m);
    // The plain view keeps one line per node that ran.
    expect(fresh.stderr.match(/^✓ leaf-\d+ /gm)).toHaveLength(NODES - 2);
  });

  it('a cached re-run collapses cache hits into counted lines and prints no table', async () => {
    const r = await runCli(['run', wide, '--home', home, '--json']);
    expect(r.code).toBe(0);
    const summary = parseJsonStdout(r);
    expect(summary.nodes).toHaveLength(NODES);
    expect(summary.nodes.every((n: any) => n.cached && n.status === 'cached')).toBe(true);
    expect(r.stderr).not.toMatch(/^↺ cached leaf-/m);
    expect(collapsedCached(r.stderr)).toBe(NODES);
    expect(r.stderr).toMatch(/^↺ cached [\d,]+ nodes: source, leaf-0001, leaf-0002 … and [\d,]+ more$/m);
    expect(tableRows(r.stderr)).toHaveLength(0);
    expect(r.stderr).toMatch(/^5,000 nodes: 5,000 cached/m);
    expect(r.stderr).toContain('(5,000/5,000 nodes cached)');
    // Start line, collapsed hits, counts, the result, the verdict: not thousands.
    expect(r.stderr.trim().split('\n').length).toBeLessThan(10);
  }, 120_000);

  it('names the one failing node, last in node order, before thousands of cached ones', async () => {
    const r = await runCli(['run', wide, '--home', home, '--json', '--param', 'fail=1']);
    expect(r.code).toBe(1);
    const byId = new Map(parseJsonStdout(r).nodes.map((n: any) => [n.id, n]));
    expect(byId.size).toBe(NODES);
    expect((byId.get('leaf-4998') as any).status).toBe('failed');
    expect(tableRows(r.stderr)).toEqual([['leaf-4998', 'fixtures/wide-broken', 'failed', '', '1', expect.stringMatching(/ms$/)]]);
    expect(r.stderr).toMatch(/^5,000 nodes: 1 failed · 4,998 cached · 1 skipped/m);
    expect(r.stderr).toContain("node 'leaf-4998' (fixtures/wide-broken) failed after 1 attempt: leaf 4998 fails on purpose.");
    expect(r.stderr).toMatch(/^✗ leaf-4998: leaf 4998 fails on purpose$/m);
    // A single skip keeps its own line (only bursts collapse).
    expect(r.stderr).toMatch(/^- skipped total: upstream node 'leaf-4998' failed$/m);
    expect(collapsedCached(r.stderr)).toBe(NODES - 2);
  }, 120_000);

  it('with more failures than the limit, lists failures only, up to the limit, and counts the others', async () => {
    const fail = SUMMARY_LIST_LIMIT + 5;
    const r = await runCli(['run', wide, '--home', home, '--json', '--param', `fail=${fail}`]);
    expect(r.code).toBe(1);
    const nodes = parseJsonStdout(r).nodes;
    expect(nodes).toHaveLength(NODES);
    expect(nodes.filter((n: any) => n.status === 'failed')).toHaveLength(fail);
    const rows = tableRows(r.stderr);
    expect(rows).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(rows.every((row) => row[2] === 'failed')).toBe(true);
    expect(r.stderr).toMatch(/^… and 5 more failed$/m);
    expect(r.stderr).toMatch(new RegExp(`^5,000 nodes: ${fail} failed · ${(NODES - fail - 1).toLocaleString('en-US')} cached · 1 skipped`, 'm'));
    // The failure paragraph names the first SUMMARY_LIST_LIMIT and counts the rest.
    expect(r.stderr.match(/node 'leaf-\d+' \(fixtures\/wide-broken\) failed after/g)).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(r.stderr).toContain('… and 5 more failed nodes (every one: --json).');
    // Every failure still gets its own event line.
    expect(r.stderr.match(/^✗ leaf-\d+: leaf \d+ fails on purpose$/gm)).toHaveLength(fail);
  }, 120_000);
});

// util-linux `script` gives the CLI a real pseudo-terminal; without it this part cannot run.
const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const describeTty = script ? describe : describe.skip;
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

describeTty('mlcycle run on a terminal with a 5,000-node DAG', () => {
  it('draws a bounded live view: counts, not a row per node', async () => {
    const out = join(tempDir(), 'summary.json');
    const command = `stty cols 100 rows 40; ${quote(process.execPath)} ${quote(bin)} run ${quote(wide)} --home ${quote(home)} --json > ${quote(out)}`;
    const transcript = await new Promise<string>((resolve, reject) => {
      execFile(script!, ['-qec', command, '/dev/null'], { cwd: repoRoot, env: { ...process.env, CI: '', NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    });
    const plain = transcript.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain).toMatch(/✔ wide · 5,000\/5,000 nodes · 5,000 cached/);
    // No per-node rows: the per-node view would draw `leaf-0001 (fixtures/wide-leaf)` and 4,999 more.
    expect(plain).not.toContain('(fixtures/wide-leaf)');
    expect(plain.length).toBeLessThan(20_000);
    expect(JSON.parse(readFileSync(out, 'utf8')).nodes).toHaveLength(NODES);
  }, 150_000);
});
