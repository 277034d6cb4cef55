/**
 * Scheduler and engine overhead on 10,000 no-op nodes (issue: core engine, item 10).
 *   npm run bench            human table on stdout
 *   npm run bench -- --json  one JSON object
 * Ratios are against the floor measured in the same process: bare RxJS mergeMap over the same work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { from, lastValueFrom, mergeMap, toArray } from 'rxjs';
import { dag, runDag, schedule, type BuiltDag } from '../../core/index.ts';
import { join, pass, start } from './noop-tasks.ts';

const N = Number(process.env.BENCH_NODES ?? 10_000);
const concurrency = cpus().length;
const json = process.argv.includes('--json');
const REPS = 7;
const ENGINE_REPS = 3;
// The same no-op for the floor and the scheduler: a resolved promise per node.
const noop = (id: string) => Promise.resolve({ id, ok: true });

function shapes() {
  const chain = dag('bench-chain', (b) => {
    let ref = b.add('n0', start, {}).value;
    for (let i = 1; i < N; i++) ref = b.add(`n${i}`, pass, { value: ref }).value;
  }).build();
  const fan = dag('bench-fan', (b) => {
    const root = b.add('root', start, {}).value;
    const mids = [];
    for (let i = 0; i < N - 2; i++) mids.push(b.add(`m${i}`, pass, { value: root }).value);
    b.add('sink', join, { values: mids });
  }).build();
  return { chain, fan };
}

function graphOf(d: BuiltDag) {
  const upstream = new Map<string, string[]>(d.order.map((id) => [id, []]));
  for (const [id, deps] of d.dependants) for (const x of deps) upstream.get(x)!.push(id);
  return { order: d.order, upstream, dependants: d.dependants };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main() {
  const { chain, fan } = shapes();
  const rows: Array<{ name: string; ms: number; usPerNode: number; ratio?: number; target?: string; ok?: boolean }> = [];
  // Floor and scheduler are measured interleaved, after a warm-up, best of REPS: the machine is shared
  // and a single timing of ~10 ms swings with GC and JIT.
  const floor = () => lastValueFrom(from(chain.order).pipe(mergeMap((id) => from(noop(id)), concurrency), toArray()));
  const graphs = { chain: graphOf(chain), 'fan-out/fan-in': graphOf(fan) };
  const sched = (g: ReturnType<typeof graphOf>) => () => lastValueFrom(schedule(g, (id) => from(noop(id)), { concurrency }).pipe(toArray()));
  const cases = [['floor', floor], ['chain', sched(graphs.chain)], ['fan-out/fan-in', sched(graphs['fan-out/fan-in'])]] as const;
  const bestMs = new Map<string, number>(cases.map(([n]) => [n, Infinity]));
  for (let r = 0; r < REPS + 1; r++) {
    for (const [name, fn] of cases) {
      const ms = await time(fn);
      if (r > 0) bestMs.set(name, Math.min(bestMs.get(name)!, ms));
    }
  }
  const floorMs = bestMs.get('floor')!;
  rows.push({ name: 'floor: bare rxjs mergeMap', ms: floorMs, usPerNode: (floorMs * 1000) / N });
  for (const shape of ['chain', 'fan-out/fan-in'] as const) {
    const ms = bestMs.get(shape)!;
    const ratio = ms / floorMs;
    rows.push({ name: `scheduler only, ${shape}`, ms, usPerNode: (ms * 1000) / N, ratio, target: '≤ 2× floor', ok: ratio <= 2 });
  }
  for (const [shape, d] of [['chain', chain], ['fan-out/fan-in', fan]] as const) {
    // Best of ENGINE_REPS, each on a new workspace (fresh) and then again on it (fully cached).
    let fresh = Infinity;
    let cached = Infinity;
    for (let r = 0; r < ENGINE_REPS; r++) {
      const home = mkdtempSync(joinPath(tmpdir(), 'mlcycle-bench-'));
      fresh = Math.min(fresh, await time(async () => { const s = await runDag(d, { home, concurrency }).done; if (s.status !== 'succeeded') throw new Error(s.failure); }));
      cached = Math.min(cached, await time(async () => {
        const s = await runDag(d, { home, concurrency }).done;
        if (!s.nodes.every((n) => n.cached)) throw new Error('re-run was not fully cached');
      }));
      rmSync(home, { recursive: true, force: true });
    }
    rows.push({ name: `engine fresh (cache + store), ${shape}`, ms: fresh, usPerNode: (fresh * 1000) / N, ratio: fresh / floorMs, target: '≤ 100 µs/node', ok: (fresh * 1000) / N <= 100 });
    rows.push({ name: `engine fully cached re-run, ${shape}`, ms: cached, usPerNode: (cached * 1000) / N, ratio: cached / floorMs, target: '< 1 s', ok: cached < 1000 });
  }
  const report = { nodes: N, concurrency, node: process.version, rows };
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  console.log(`${N} no-op nodes, concurrency ${concurrency}, ${process.version}`);
  console.log('case'.padEnd(44) + 'total ms'.padStart(10) + 'µs/node'.padStart(10) + '× floor'.padStart(9) + '  target');
  for (const r of rows) {
    console.log(
      r.name.padEnd(44) + r.ms.toFixed(1).padStart(10) + r.usPerNode.toFixed(2).padStart(10) +
        (r.ratio ? r.ratio.toFixed(2) : '1.00').padStart(9) + (r.target ? `  ${r.target} ${r.ok ? 'ok' : 'MISSED'}` : ''),
    );
  }
}

await main();
