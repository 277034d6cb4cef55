import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dag, openWorkspace, planDag, runDag, Type, type RunEvent, type RunOptions } from '../../core/index.ts';
import { add, busy, flaky, peak, slow, source, sum, threadsSeen, writeOut } from '../fixtures/tasks/basic.ts';

const home = () => mkdtempSync(join(tmpdir(), 'mlcycle-engine-'));

async function run(built: ReturnType<ReturnType<typeof dag>['build']>, options: RunOptions) {
  const handle = runDag(built, options);
  const events: RunEvent[] = [];
  handle.events$.subscribe((e) => events.push(e));
  const summary = await handle.done;
  return { summary, events, types: events.map((e) => e.type) };
}

const chain = dag('chain', (b) => {
  const start = b.param('start', Type.Number(), 1);
  const a = b.add('a', source, {}, { value: start });
  const b1 = b.add('b', add, { value: a.value }, { amount: 10 });
  const c = b.add('c', add, { value: b1.value }, { amount: 100 });
  return { out: c.value };
});

describe('engine', () => {
  it("shares the run's concurrency among the nodes in flight as ctx.threads", async () => {
    const alone = dag('alone', (b) => ({ t: b.add('t', threadsSeen, {}).value }));
    expect((await run(alone.build(), { home: home(), concurrency: 3 })).summary.outputs.t).toBe(3);
    // Two independent nodes at concurrency 2: the first starts alone (2 threads), the second beside it (1).
    const pair = dag('pair', (b) => ({
      a: b.add('a', threadsSeen, {}, { ms: 200, tag: 'a' }).value,
      b: b.add('b', threadsSeen, {}, { ms: 200, tag: 'b' }).value,
    }));
    const { outputs } = (await run(pair.build(), { home: home(), concurrency: 2 })).summary;
    expect([outputs.a, outputs.b].sort()).toEqual([1, 2]);
  });

  it('runs a chain, then serves every node from the cache', async () => {
    const h = home();
    const first = await run(chain.build(), { home: h });
    expect(first.summary.status).toBe('succeeded');
    expect(first.summary.outputs.out).toBe(111);
    expect(first.summary.nodes.map((n) => n.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const second = await run(chain.build(), { home: h });
    expect(second.summary.nodes.every((n) => n.cached)).toBe(true);
    expect(second.summary.outputs.out).toBe(111);
    const ws = openWorkspace({ home: h });
    expect(ws.store.listRuns().map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    ws.close();
  });

  it('recomputes what a changed param touches; early cut-off keeps identical outputs cached', async () => {
    const h = home();
    await run(chain.build(), { home: h });
    const changed = await run(chain.build({ params: { start: 2 } }), { home: h });
    expect(changed.summary.nodes.map((n) => n.cached)).toEqual([false, false, false]);
    expect(changed.summary.outputs.out).toBe(112);
    const diamond = dag('diamond', (b) => {
      const a = b.add('a', source, {}, { value: 1 });
      const l = b.add('left', add, { value: a.value }, { amount: b.param('left', Type.Number(), 1) });
      const r = b.add('right', add, { value: a.value }, { amount: 2 });
      const s = b.add('sum', sum, { values: [l.value, r.value] });
      return { total: s.total, scores: s.scores };
    });
    const d1 = await run(diamond.build(), { home: h });
    expect(d1.summary.outputs).toEqual({ total: 5, scores: { total: 5 } });
    const d2 = await run(diamond.build({ params: { left: 3 } }), { home: h });
    expect(Object.fromEntries(d2.summary.nodes.map((n) => [n.id, n.cached]))).toEqual({ a: true, left: false, right: true, sum: false });
  });

  it('--no-cache executes every node', async () => {
    const h = home();
    await run(chain.build(), { home: h });
    const again = await run(chain.build(), { home: h, noCache: true });
    expect(again.summary.nodes.every((n) => !n.cached && n.status === 'succeeded')).toBe(true);
  });

  it('retries transient errors with backoff, and fails non-retryable ones at once', async () => {
    const h = home();
    const token = `t${Date.now()}`;
    const ok = await run(dag('flaky', (b) => { b.add('f', flaky, {}, { token, failTimes: 2 }); }).build(), { home: h });
    expect(ok.summary.status).toBe('succeeded');
    const retrying = ok.events.filter((e) => e.type === 'node-retrying') as Array<Extract<RunEvent, { type: 'node-retrying' }>>;
    expect(retrying.map((e) => e.delayMs)).toEqual([20, 40]);
    expect(ok.summary.nodes[0].attempts).toBe(3);

    const fatal = await run(dag('fatal', (b) => {
      const f = b.add('f', flaky, {}, { token: `${token}-fatal`, failTimes: 5, fatal: true });
      b.add('after', add, { value: f.value });
      b.add('independent', source, {}, { value: 7 });
    }).build(), { home: h });
    expect(fatal.summary.status).toBe('failed');
    const byId = Object.fromEntries(fatal.summary.nodes.map((n) => [n.id, n]));
    expect(byId.f.attempts).toBe(1);
    expect(byId.after.status).toBe('skipped');
    expect(byId.independent.status).toBe('succeeded');
    expect(fatal.summary.failure).toMatch(/node 'f' \(test\/flaky\) failed after 1 attempt: fatal failure 1/);
    expect(fatal.summary.failure).toMatch(/re-run the same command to resume/);
    const ws = openWorkspace({ home: h });
    const nodes = ws.store.nodeRuns(fatal.summary.runId);
    expect(nodes.find((n) => n.node === 'f')!.status).toBe('failed');
    ws.close();
  });

  it('times out a slow node, never caches it, and gives up after its attempts', async () => {
    const h = home();
    const r = await run(dag('slow', (b) => { b.add('s', slow, {}, { ms: 2000 }); }).build(), { home: h });
    expect(r.summary.status).toBe('failed');
    expect(r.summary.nodes[0].error).toMatch(/timed out after 150 ms/);
    const ws = openWorkspace({ home: h });
    expect(ws.blobs.list()).toEqual([]);
    ws.close();
  });

  it('honours the concurrency limit', async () => {
    const fan = dag('fan', (b) => { for (let i = 0; i < 8; i++) b.add(`n${i}`, busy, {}, { i }); });
    peak.value = 0;
    await run(fan.build(), { home: home(), concurrency: 2 });
    expect(peak.value).toBe(2);
    peak.value = 0;
    await run(fan.build(), { home: home(), concurrency: 1, noCache: true });
    expect(peak.value).toBe(1);
  });

  it('cancels: running nodes are aborted, nothing of theirs is stored, the run is cancelled', async () => {
    const h = home();
    const controller = new AbortController();
    const d = dag('cancel', (b) => {
      const a = b.add('a', source, {}, { value: 1 });
      const slowNode = b.add('wait', add, { value: a.value }, { delayMs: 5000 });
      b.add('after', add, { value: slowNode.value });
    });
    const handle = runDag(d.build(), { home: h, signal: controller.signal });
    handle.events$.subscribe((e) => { if (e.type === 'node-started' && e.node === 'wait') setTimeout(() => controller.abort(), 20); });
    const summary = await handle.done;
    expect(summary.status).toBe('cancelled');
    expect(Object.fromEntries(summary.nodes.map((n) => [n.id, n.status]))).toEqual({ a: 'succeeded', wait: 'cancelled', after: 'skipped' });
    const ws = openWorkspace({ home: h });
    expect(ws.store.getRun(summary.runId)!.status).toBe('cancelled');
    expect(ws.blobs.list()).toHaveLength(1);
    ws.close();
  });

  it('detects corrupted and truncated blobs and recomputes them', async () => {
    const h = home();
    const first = await run(chain.build(), { home: h });
    const ws = openWorkspace({ home: h });
    const digests = ws.blobs.list();
    ws.close();
    expect(digests).toHaveLength(3);
    const files = digests.map((d) => join(h, 'objects', d.slice(0, 2), d.slice(2)));
    writeFileSync(files[0], Buffer.from('9999'));
    truncateSync(files[1], 0);
    const second = await run(chain.build(), { home: h });
    expect(second.summary.outputs.out).toBe(first.summary.outputs.out);
    const recomputed = second.summary.nodes.filter((n) => !n.cached).length;
    expect(recomputed).toBeGreaterThanOrEqual(2);
    expect(second.events.some((e) => e.type === 'node-log' && /corrupt|missing/.test(e.message))).toBe(true);
    for (const f of files) expect(statSync(f).size).toBeGreaterThan(0);
    const third = await run(chain.build(), { home: h });
    expect(third.summary.nodes.every((n) => n.cached)).toBe(true);
    expect(readdirSync(join(h, 'quarantine')).length).toBeGreaterThanOrEqual(1);
  });

  it('re-runs a cached node whose effect outside the store is gone (verifyOutputs)', async () => {
    const h = home();
    const file = join(h, 'out.json');
    const d = dag('external', (b) => {
      const a = b.add('a', source, {}, { value: 3 });
      b.add('write', writeOut, { value: a.value }, { path: file });
    });
    await run(d.build(), { home: h });
    const hit = await run(d.build(), { home: h });
    expect(hit.summary.nodes.every((n) => n.cached)).toBe(true);
    rmSync(file);
    const plan = planDag(d.build(), { home: h });
    expect(plan.map((e) => [e.id, e.state])).toEqual([['a', 'cached'], ['write', 'stale']]);
    expect(plan[1].reasons.join(' ')).toMatch(/is gone/);
    const again = await run(d.build(), { home: h });
    expect(Object.fromEntries(again.summary.nodes.map((n) => [n.id, n.cached]))).toEqual({ a: true, write: false });
    expect(existsSync(file)).toBe(true);
    expect(again.events.some((e) => e.type === 'node-log' && /is gone/.test(e.message))).toBe(true);
  });

  it('threads executor gives the same outputs as in-process', async () => {
    const d = dag('fanin', (b) => {
      const refs = [1, 2, 3].map((i) => b.add(`src${i}`, source, {}, { value: i }).value);
      const s = b.add('sum', sum, { values: refs });
      return { total: s.total };
    });
    const a = await run(d.build(), { home: home(), executor: 'inprocess' });
    const t = await run(d.build(), { home: home(), executor: 'threads', concurrency: 2 });
    expect(t.summary.status).toBe('succeeded');
    expect(t.summary.outputs).toEqual(a.summary.outputs);
    const digests = (r: typeof a) => r.events.filter((e) => e.type === 'node-succeeded').map((e) => JSON.stringify((e as any).outputs)).sort();
    expect(digests(t)).toEqual(digests(a));
    // What a task says in a worker reaches the main thread's stream before the node ends.
    for (const r of [a, t]) {
      const said = r.events.filter((e) => (e.type === 'node-log' || e.type === 'node-metric') && e.node === 'sum').map((e) => e.type);
      expect(said).toEqual(['node-log', 'node-metric']);
      const ended = r.events.findIndex((e) => e.type === 'node-succeeded' && e.node === 'sum');
      expect(r.events.findIndex((e) => e.type === 'node-log' && e.node === 'sum')).toBeLessThan(ended);
    }
  });
});

