/**
 * Serving overhead (issue 9, "Measured"): `npm run bench:serve [-- --rate 1000 --seconds 10 --json]`.
 * Trains a forest and an MLP on Palmer penguins (dags/tabular.ts), then for each, and for the floor
 * (a bare fastify route in its own process that parses the same JSON and answers a constant):
 *  - fixed rate: autocannon sends `rate` single-row POST /invocations per second for `seconds`
 *    (10 connections, coordinated omission corrected) → p50 / p99 latency, failed requests;
 *  - maximum throughput: as fast as 20 connections go for `max-seconds`;
 *  - a 1,000-row dataframe_split request: median of 15 sequential calls (after 3 warm-ups).
 * Target: p99 ≤ the floor's p99 + 2 ms at the fixed rate, with no failed request. Load generator and
 * servers share this machine's 2 cores; the floor is measured in the same run for that reason.
 * Exits 1 when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startFloor, startMlcycle, type RunningServer } from './serve-servers.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const RATE = Number(arg('rate', '1000'));
const SECONDS = Number(arg('seconds', '10'));
const MAX_SECONDS = Number(arg('max-seconds', '5'));
const JSON_OUT = process.argv.includes('--json');
const repo = fileURLToPath(new URL('../../', import.meta.url));
const penguinsFile = join(repo, 'node_modules/vega-datasets/data/penguins.json');

interface Side { name: string; p50: number; p99: number; failed: number; sent: number; maxRps: number; batchMs: number | null }

const log = (line: string) => process.stderr.write(`${line}\n`);

function train(home: string, algorithm: string): string {
  const out = join(home, 'bundles', algorithm);
  const r = spawnSync(process.execPath, ['cli/bin.mjs', '--home', home, 'run', 'dags/tabular.ts', '--param', `data=${penguinsFile}`,
    '--param', 'target=Species', '--param', `algorithm=${algorithm}`, '--param', `out=${out}`], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`training ${algorithm} failed:\n${r.stderr}`);
  return out;
}

async function measure(name: string, server: RunningServer, one: string, batch: string | null): Promise<Side> {
  const url = `${server.url}/invocations`;
  const headers = { 'content-type': 'application/json' };
  // Warm-up: JIT, the model's first prediction, connection set-up.
  await autocannon({ url, method: 'POST', headers, body: one, connections: 10, overallRate: RATE, duration: 2 });
  const fixed = await autocannon({ url, method: 'POST', headers, body: one, connections: 10, overallRate: RATE, duration: SECONDS });
  const max = await autocannon({ url, method: 'POST', headers, body: one, connections: 20, duration: MAX_SECONDS });
  let batchMs: number | null = null;
  if (batch) {
    const times: number[] = [];
    for (let i = 0; i < 18; i++) {
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body: batch });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: the 1,000-row request got ${res.status}`);
      if (i >= 3) times.push(performance.now() - t0);
    }
    batchMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  }
  const side = {
    name, p50: fixed.latency.p50, p99: fixed.latency.p99, failed: fixed.errors + fixed.timeouts + fixed.non2xx,
    sent: fixed.requests.total, maxRps: max.requests.average, batchMs,
  };
  log(`${name}: p50 ${side.p50} ms, p99 ${side.p99} ms, ${side.failed} failed of ${side.sent}; max ${Math.round(side.maxRps)} req/s${batchMs === null ? '' : `; 1,000 rows ${batchMs.toFixed(1)} ms`}`);
  return side;
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'mlcycle-bench-serve-'));
  try {
    const rows = (JSON.parse(readFileSync(penguinsFile, 'utf8')) as Array<Record<string, unknown>>)
      .filter((r) => Object.values(r).every((v) => v !== null))
      .map(({ Species: _species, ...features }) => features);
    const one = JSON.stringify({ dataframe_records: [rows[0]] });
    const columns = Object.keys(rows[0]!);
    const batch = JSON.stringify({ dataframe_split: { columns, data: Array.from({ length: 1000 }, (_, i) => columns.map((c) => rows[i % rows.length]![c])) } });
    log(`training a forest and an MLP on penguins (${rows.length} complete rows)…`);
    const bundles = { forest: train(home, 'forest'), mlp: train(home, 'mlp') };
    const sides: Side[] = [];
    const floor = await startFloor();
    try {
      sides.push(await measure('floor (bare fastify)', floor, one, null));
    } finally {
      await floor.stop();
    }
    for (const [name, dir] of Object.entries(bundles)) {
      const server = await startMlcycle(dir, home);
      try {
        sides.push(await measure(`mlcycle serve ${name}`, server, one, batch));
      } finally {
        await server.stop();
      }
    }
    report(sides);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function report(sides: Side[]): void {
  const floor = sides[0]!;
  const models = sides.slice(1).map((s) => ({
    ...s, p99OverFloorMs: s.p99 - floor.p99, met: s.p99 <= floor.p99 + 2 && s.failed === 0, throughputVsFloor: s.maxRps / floor.maxRps,
  }));
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ rate: RATE, seconds: SECONDS, floor, models }, null, 2)}\n`);
  } else {
    log(`\nfixed rate ${RATE} req/s for ${SECONDS} s, single-row requests; target p99 ≤ floor p99 + 2 ms`);
    log('server                 p50 ms   p99 ms   p99−floor   failed   max req/s (×floor)   1,000 rows');
    for (const s of [floor, ...models]) {
      const extra = 'met' in s ? `${(s as typeof models[number]).p99OverFloorMs.toFixed(2).padStart(9)}   ` : '        —   ';
      const ratio = 'met' in s ? ` (${(s as typeof models[number]).throughputVsFloor.toFixed(2)}×)` : '';
      log(`${s.name.padEnd(22)} ${String(s.p50).padStart(6)}   ${String(s.p99).padStart(6)}   ${extra}${String(s.failed).padStart(6)}   ${`${Math.round(s.maxRps)}${ratio}`.padEnd(18)}   ${s.batchMs === null ? '—' : `${s.batchMs.toFixed(1)} ms`}`);
    }
    for (const m of models) log(`${m.name}: ${m.met ? 'met' : 'MISSED'}`);
  }
  if (models.some((m) => !m.met)) process.exitCode = 1;
}

await main();
