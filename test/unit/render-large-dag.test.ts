/**
 * The CLI renderers on large runs, fed synthetic summaries and event streams: what is listed, what
 * is counted, and that collapsing never hides a failure. The CLI end to end: cli-large-dag.test.ts.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { NodeSummary, RunEvent, RunSummary } from '../../core/index.ts';
import { BOARD_FAILED_SHOWN, BOARD_RECENT_SHOWN, BOARD_RUNNING_SHOWN, createLiveBoard } from '../../cli/render/live-board.ts';
import { createPlainRenderer } from '../../cli/render/plain.ts';
import { BURST_IDLE_MS, BURST_LIST_MAX } from '../../cli/render/quiet-burst.ts';
import { failureParagraph, renderSummary } from '../../cli/render/summary.ts';
import { countsLine, nameList, selectNodes, SUMMARY_LIST_LIMIT } from '../../cli/render/summary-nodes.ts';

/** A non-TTY stream (so no colours) that keeps what was written. */
function sink(): NodeJS.WritableStream & { text: () => string } {
  let out = '';
  return Object.assign(
    { write: (chunk: string) => ((out += chunk), true), isTTY: false },
    { text: () => out },
  ) as unknown as NodeJS.WritableStream & { text: () => string };
}

const node = (i: number, status: NodeSummary['status'], durationMs = 1): NodeSummary => ({
  id: `n${String(i).padStart(4, '0')}`,
  task: 't/leaf',
  status,
  cached: status === 'cached',
  attempts: status === 'cached' || status === 'skipped' ? 0 : 1,
  durationMs,
  ...(status === 'failed' ? { error: `boom ${i}` } : {}),
});

const summaryOf = (nodes: NodeSummary[], status: RunSummary['status']): RunSummary => ({ runId: 'r1', dag: 'big', status, durationMs: 500, nodes, outputs: {} });

const tableRows = (text: string) => text.split('\n').filter((l) => l.startsWith('│') && !/│ node +│/.test(l)).map((l) => l.split('│')[1].trim());

describe('selectNodes', () => {
  it('lists every node, in node order, up to the limit', () => {
    const nodes = [node(0, 'cached'), node(1, 'succeeded'), node(2, 'failed'), node(3, 'skipped')];
    const s = selectNodes(nodes, 4);
    expect(s.condensed).toBe(false);
    expect(s.listed.map((n) => n.id)).toEqual(['n0000', 'n0001', 'n0002', 'n0003']);
    expect(s.counts).toEqual([['failed', 1], ['succeeded', 1], ['cached', 1], ['skipped', 1]]);
  });

  it('above the limit: failures first, then the slowest succeeded; cached and skipped only counted', () => {
    const nodes = [
      ...Array.from({ length: 4990 }, (_, i) => node(i, 'cached')),
      ...Array.from({ length: 8 }, (_, i) => node(4990 + i, 'succeeded', 10 + i)),
      node(4998, 'failed'),
      node(4999, 'skipped'),
    ];
    const s = selectNodes(nodes, 5);
    expect(s.condensed).toBe(true);
    // n4998 failed last in node order yet comes first; then the 4 slowest of 8, slowest first.
    expect(s.listed.map((n) => n.id)).toEqual(['n4998', 'n4997', 'n4996', 'n4995', 'n4994']);
    expect(s.unlisted).toEqual([['succeeded', 4]]);
    expect(countsLine(s.counts)).toBe('1 failed · 8 succeeded · 4,990 cached · 1 skipped');
  });

  it('never lets succeeded nodes push out failures; failures beyond the limit are counted', () => {
    const nodes = [...Array.from({ length: 30 }, (_, i) => node(i, 'succeeded', 1000)), ...Array.from({ length: 7 }, (_, i) => node(30 + i, 'failed'))];
    const s = selectNodes(nodes, 5);
    expect(s.listed.every((n) => n.status === 'failed')).toBe(true);
    expect(s.listed).toHaveLength(5);
    expect(s.unlisted).toEqual([['failed', 2], ['succeeded', 30]]);
  });

  it('nameList names up to the limit and counts the rest', () => {
    expect(nameList(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(nameList(['a', 'b', 'c', 'd'], 2)).toBe('a, b … and 2 more');
  });
});

describe('renderSummary on 5,000 nodes', () => {
  it('a cached re-run prints counts and no table', () => {
    const out = sink();
    renderSummary(summaryOf(Array.from({ length: 5000 }, (_, i) => node(i, 'cached')), 'succeeded'), out);
    expect(tableRows(out.text())).toEqual([]);
    expect(out.text()).toContain('5,000 nodes: 5,000 cached (every node: --json)');
    expect(out.text()).toContain('(5,000/5,000 nodes cached)');
  });

  it('names the failed node and bounds the skipped list', () => {
    const nodes = [node(0, 'failed'), ...Array.from({ length: 4999 }, (_, i) => node(i + 1, 'skipped'))];
    const summary = summaryOf(nodes, 'failed');
    const out = sink();
    renderSummary(summary, out);
    expect(tableRows(out.text())).toEqual(['n0000']);
    expect(out.text()).toContain('5,000 nodes: 1 failed · 4,999 skipped');
    const paragraph = failureParagraph(summary);
    expect(paragraph).toContain("node 'n0000' (t/leaf) failed after 1 attempt: boom 0.");
    expect(paragraph).toContain(`Skipped as dependants: n0001, n0002,`);
    expect(paragraph).toContain(`… and ${(4999 - SUMMARY_LIST_LIMIT).toLocaleString('en-US')} more.`);
    expect(paragraph.match(/n\d{4}/g)).toHaveLength(1 + SUMMARY_LIST_LIMIT);
  });

  it('a small run keeps the full table in node order', () => {
    const out = sink();
    renderSummary(summaryOf([node(0, 'succeeded'), node(1, 'cached'), node(2, 'succeeded')], 'succeeded'), out);
    expect(tableRows(out.text())).toEqual(['n0000', 'n0001', 'n0002']);
    expect(out.text()).not.toContain('nodes: ');
  });
});

const base = { runId: 'r1', at: 0 };
const cached = (id: string): RunEvent => ({ ...base, type: 'node-cached', node: id, task: 't/leaf', key: 'k', outputs: {} });
const started = (id: string): RunEvent => ({ ...base, type: 'node-started', node: id, task: 't/leaf', key: 'k', attempt: 1 });
const succeeded = (id: string): RunEvent => ({ ...base, type: 'node-succeeded', node: id, task: 't/leaf', key: 'k', attempts: 1, durationMs: 5, outputs: {}, inputs: {} });
const failed = (id: string): RunEvent => ({ ...base, type: 'node-failed', node: id, task: 't/leaf', key: 'k', attempts: 1, durationMs: 5, error: { name: 'Error', message: `${id} broke` } as any });
const skipped = (id: string, reason: string): RunEvent => ({ ...base, type: 'node-skipped', node: id, task: 't/leaf', reason });
const finished: RunEvent = { ...base, type: 'run-finished', status: 'succeeded', durationMs: 1 };

describe('plain renderer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('collapses a burst of cache hits into one line, in its place between the lines of work', async () => {
    const out = sink();
    const r = createPlainRenderer(out);
    for (let i = 0; i < 3000; i++) r.onEvent(cached(`c${i}`));
    r.onEvent(started('a'));
    r.onEvent(succeeded('a'));
    for (let i = 3000; i < 5000; i++) r.onEvent(cached(`c${i}`));
    r.onEvent(finished);
    await r.close();
    expect(out.text().trim().split('\n')).toEqual([
      '↺ cached 3,000 nodes: c0, c1, c2 … and 2,997 more',
      '▸ a (t/leaf)',
      '✓ a (t/leaf) 5ms',
      '↺ cached 2,000 nodes: c3000, c3001, c3002 … and 1,997 more',
    ]);
  });

  it(`keeps one line per hit for bursts of up to ${BURST_LIST_MAX}, and always with MLCYCLE_DEBUG`, async () => {
    const small = sink();
    const r = createPlainRenderer(small);
    for (let i = 0; i < BURST_LIST_MAX; i++) r.onEvent(cached(`c${i}`));
    await r.close();
    expect(small.text().match(/^↺ cached c\d$/gm)).toHaveLength(BURST_LIST_MAX);
    const debug = sink();
    const d = createPlainRenderer(debug, { debug: true });
    for (let i = 0; i < 50; i++) d.onEvent(cached(`c${i}`));
    await d.close();
    expect(debug.text().match(/^↺ cached c\d+$/gm)).toHaveLength(50);
  });

  it('groups skips by reason and never collapses a failure', async () => {
    const out = sink();
    const r = createPlainRenderer(out);
    r.onEvent(failed('root'));
    for (let i = 0; i < 10; i++) r.onEvent(skipped(`s${i}`, "upstream node 'root' failed"));
    for (let i = 0; i < 7; i++) r.onEvent(skipped(`x${i}`, 'run cancelled'));
    await r.close();
    expect(out.text().trim().split('\n')).toEqual([
      '✗ root: root broke',
      "- skipped 10 nodes (upstream node 'root' failed): s0, s1, s2 … and 7 more",
      '- skipped 7 nodes (run cancelled): x0, x1, x2 … and 4 more',
    ]);
  });

  it('prints a burst after a quiet second even while nothing else happens', () => {
    jest.useFakeTimers();
    const out = sink();
    const r = createPlainRenderer(out);
    r.onEvent(started('slow'));
    for (let i = 0; i < 100; i++) r.onEvent(cached(`c${i}`));
    expect(out.text()).not.toContain('cached');
    jest.advanceTimersByTime(BURST_IDLE_MS + 10);
    expect(out.text()).toContain('↺ cached 100 nodes: c0, c1, c2 … and 97 more');
    void r.close();
  });
});

describe('live board', () => {
  it('stays bounded on 5,000 nodes with 100 running and 30 failed', () => {
    const board = createLiveBoard(5000);
    for (let i = 0; i < 4800; i++) board.onEvent(cached(`c${i}`));
    for (let i = 0; i < 100; i++) board.onEvent(started(`r${i}`));
    for (let i = 0; i < 20; i++) board.onEvent(succeeded(`r${i}`));
    for (let i = 20; i < 50; i++) board.onEvent(failed(`r${i}`));
    const v = board.view();
    expect(v.headline).toBe('4,850/5,000 nodes · 30 failed · 20 succeeded · 4,800 cached · 50 running');
    expect(v.lines).toHaveLength(BOARD_RUNNING_SHOWN + 1 + BOARD_RECENT_SHOWN + BOARD_FAILED_SHOWN + 1);
    expect(v.lines[0]).toBe('▸ r50 (t/leaf)');
    expect(v.lines).toContain('  … and 42 more running');
    expect(v.lines).toContain('✔ r19 (t/leaf) 5ms');
    expect(v.lines).toContain('✖ r20: r20 broke');
    expect(v.lines).toContain('  … and 25 more failed');
    expect(board.failed()).toHaveLength(30);
  });
});
