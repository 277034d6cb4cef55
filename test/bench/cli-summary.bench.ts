/**
 * CLI cost of a large DAG: a cached re-run of the 5,000-node `wide` fixture through the real CLI
 * (`node cli/bin.mjs run test/fixtures/dags/wide.ts --home <tmp> --json`, stderr piped as in CI), timed
 * as a user sees it (wall clock of the process) against the engine's own time for the run
 * (`durationMs` of the `--json` summary). Floor: the same command on the 3-node version of the DAG
 * (`--param nodes=3`), which is Node start-up, module loading and the store open; runs of the two
 * alternate so machine noise hits both.
 *   node cli/run-ts.mjs test/bench/cli-summary.bench.ts [--reps 5] [--nodes 5000] [--json] [--baseline-bin <other>/cli/bin.mjs]
 * Prints best-of-reps figures and two ratios: wall / engine, and (wall − floor) / engine, the part a
 * summary that scales should bring close to 1. With --baseline-bin, the same for another CLI
 * (a checkout of the code before a change), run after each run of this one, and the wall-time ratio.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const reps = flag('--reps', 5);
const nodes = flag('--nodes', 5000);
const asJson = args.includes('--json');
// Another checkout's cli/bin.mjs (e.g. the code before a change), timed in the same run, interleaved.
const baselineBin = args.includes('--baseline-bin') ? args[args.indexOf('--baseline-bin') + 1] : undefined;
if (!Number.isInteger(reps) || reps < 1 || !Number.isInteger(nodes) || nodes < 3) throw new Error('cli-summary.bench: --reps ≥ 1 and --nodes ≥ 3, both integers');

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'cli', 'bin.mjs');
const wide = join(root, 'test', 'fixtures', 'dags', 'wide.ts');

interface Timed {
  wallMs: number;
  engineMs: number;
  nodes: number;
  stderrLines: number;
}

/** One CLI run; stdout holds the `--json` summary, stderr (the human view) is counted and dropped. */
function runCli(cliBin: string, home: string, size: number): Promise<Timed> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cliBin, 'run', wide, '--home', home, '--json', '--param', `nodes=${size}`], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', CI: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrLines = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderrLines += d.split('\n').length - 1));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`cli-summary.bench: run exited ${code}`));
      const summary = JSON.parse(stdout) as { durationMs: number; nodes: unknown[] };
      resolvePromise({ wallMs, engineMs: summary.durationMs, nodes: summary.nodes.length, stderrLines });
    });
  });
}

interface Variant {
  name: string;
  bin: string;
  big: Timed[];
  small: Timed[];
}

const dir = mkdtempSync(join(tmpdir(), 'mlcycle-bench-summary-'));
try {
  const variants: Variant[] = [{ name: 'current', bin, big: [], small: [] }];
  if (baselineBin) variants.push({ name: 'baseline', bin: resolve(baselineBin), big: [], small: [] });
  const homeOf = (v: Variant, size: number) => join(dir, `${v.name}-${size}`);
  // Fill every cache; these runs execute every node and are not timed.
  for (const v of variants) {
    await runCli(v.bin, homeOf(v, nodes), nodes);
    await runCli(v.bin, homeOf(v, 3), 3);
  }
  for (let r = 0; r < reps; r++) {
    for (const v of variants) {
      v.small.push(await runCli(v.bin, homeOf(v, 3), 3));
      v.big.push(await runCli(v.bin, homeOf(v, nodes), nodes));
    }
  }
  const best = (xs: Timed[], key: 'wallMs' | 'engineMs') => Math.min(...xs.map((x) => x[key]));
  const results = variants.map((v) => {
    const wall = best(v.big, 'wallMs');
    const engine = best(v.big, 'engineMs');
    const floor = best(v.small, 'wallMs');
    return {
      cli: v.name,
      bin: v.bin,
      nodes: v.big[0].nodes,
      reps,
      cachedRerun: { wallMs: Math.round(wall), engineMs: Math.round(engine), stderrLines: v.big[0].stderrLines },
      floor3Nodes: { wallMs: Math.round(floor) },
      wallOverEngine: Number((wall / engine).toFixed(2)),
      beyondFloorOverEngine: Number(((wall - floor) / engine).toFixed(2)),
    };
  });
  if (asJson) console.log(JSON.stringify(results));
  else {
    for (const result of results) {
      console.log(`${result.cli} (${result.bin}): cached re-run of a ${result.nodes}-node DAG through the CLI (best of ${reps}):`);
      console.log(`  wall ${result.cachedRerun.wallMs} ms · engine ${result.cachedRerun.engineMs} ms · stderr ${result.cachedRerun.stderrLines} lines`);
      console.log(`  floor (same command, 3 nodes): wall ${result.floor3Nodes.wallMs} ms`);
      console.log(`  wall / engine = ${result.wallOverEngine} · (wall − floor) / engine = ${result.beyondFloorOverEngine}`);
    }
    if (results.length === 2) {
      const [cur, base] = results;
      console.log(`wall, baseline / current = ${(base.cachedRerun.wallMs / cur.cachedRerun.wallMs).toFixed(2)}×`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
