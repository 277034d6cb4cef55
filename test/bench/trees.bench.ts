/**
 * Decision tree and random forest fit time beside scikit-learn's, on the same generated tables.
 *
 *   node cli/run-ts.mjs test/bench/trees.bench.ts [--rows 10000,100000] [--reps 3] [--trees 100] [--only forest|tree] [--task cls|reg]
 *
 * scikit-learn 1.2 (Debian's python3-sklearn, `/usr/bin/python3`) generates the tables
 * (make_classification with 3 classes, make_regression shifted by +1000; 20 features) and runs as a
 * line-oriented peer (test/bench/sklearn/trees-peer.py), so the two sides' fits interleave in one run
 * and each side reports its best of `--reps`: the machine is shared and noisy, so read the ratios.
 * Both sides fit on the first 80% of rows and score (accuracy / R²) on the rest. Single-core rows
 * compare nJobs 1 with n_jobs=1, two-core rows nJobs 2 with n_jobs=2. Each row gives the wall-time
 * ratio and the CPU-time ratio (process CPU, all threads): when other work shares the cores, the
 * CPU ratio is the per-core speed and the wall ratio of the two-core rows shows the parallelism.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dense, type Dense } from '../../plugins/algorithms/_dense.ts';
import { fitForest, forestPredict } from '../../plugins/algorithms/_forest.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg('rows', '10000,100000').split(',').map(Number);
const reps = Number(arg('reps', '3'));
const nTrees = Number(arg('trees', '100'));
const only = arg('only', '');
const onlyTask = arg('task', '');
const COLS = 20;

// The peer: one JSON command per line in, one JSON answer per line out.
const peerScript = fileURLToPath(new URL('./sklearn/trees-peer.py', import.meta.url));
const peer = spawn('/usr/bin/python3', [peerScript], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers = createInterface({ input: peer.stdout! })[Symbol.asyncIterator]();
async function ask(cmd: Record<string, unknown>): Promise<any> {
  peer.stdin!.write(JSON.stringify(cmd) + '\n');
  const { value, done } = await answers.next();
  if (done) throw new Error('trees-peer.py exited; is python3-sklearn installed?');
  return JSON.parse(value);
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

interface Side {
  seconds: number;
  /** CPU seconds of the whole process (all threads): on a loaded machine the fairer single-core figure. */
  cpu: number;
  score: number;
}

async function ours(x: Dense, y: Float64Array, train: number, task: string, model: string, jobs: number): Promise<Side> {
  const cls = task === 'cls';
  const xTrain = dense(train, COLS, x.data.subarray(0, train * COLS));
  const cpu = process.cpuUsage();
  const start = performance.now();
  const forest = await fitForest(xTrain, y.subarray(0, train), cls ? 3 : 0, {
    nEstimators: model === 'tree' ? 1 : nTrees,
    maxFeatures: model === 'tree' || !cls ? COLS : Math.floor(Math.sqrt(COLS)),
    maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1,
    bootstrap: model !== 'tree', seed: 0, nJobs: jobs,
  });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const xTest = dense(x.rows - train, COLS, x.data.subarray(train * COLS));
  const out = forestPredict(forest, xTest);
  const yTest = y.subarray(train);
  return { seconds, cpu: (used.user + used.system) / 1e6, score: cls ? accuracy(out, yTest) : r2(out.data, yTest) };
}

function accuracy(p: Dense, y: Float64Array): number {
  let hits = 0;
  for (let i = 0; i < p.rows; i++) {
    let best = 0;
    for (let c = 1; c < p.cols; c++) if (p.data[i * p.cols + c] > p.data[i * p.cols + best]) best = c;
    if (best === y[i]) hits++;
  }
  return hits / p.rows;
}

function r2(p: Float64Array, y: Float64Array): number {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  let ss = 0;
  let tot = 0;
  for (let i = 0; i < y.length; i++) (ss += (y[i] - p[i]) ** 2), (tot += (y[i] - mean) ** 2);
  return 1 - ss / tot;
}

const dir = mkdtempSync(join(tmpdir(), 'mlcycle-trees-bench-'));
const rows: string[][] = [];
try {
  for (const n of sizes) {
    const folder = join(dir, String(n));
    await ask({ cmd: 'gen', dir: folder, rows: n, cols: COLS, seed: 0 });
    const train = Math.floor(n * 0.8);
    for (const task of ['cls', 'reg']) {
      if (onlyTask && task !== onlyTask) continue;
      const y = readF64(join(folder, `${task}-y.f64`));
      const x = dense(n, COLS, readF64(join(folder, `${task}-x.f64`)));
      const cases: Array<[string, number]> = [['tree', 1], ['forest', 1], ['forest', 2]];
      for (const [model, jobs] of cases) {
        if (only && model !== only) continue;
        const a: Side = { seconds: Infinity, cpu: Infinity, score: NaN };
        const b: Side = { seconds: Infinity, cpu: Infinity, score: NaN };
        const keepBest = (best: Side, s: Side) => {
          best.seconds = Math.min(best.seconds, s.seconds);
          best.cpu = Math.min(best.cpu, s.cpu);
          best.score = s.score;
        };
        for (let r = 0; r < reps; r++) {
          keepBest(a, await ours(x, y, train, task, model, jobs));
          keepBest(b, await ask({ cmd: 'fit', dir: folder, task, model, n_jobs: jobs, train, trees: nTrees }));
        }
        const label = model === 'tree' ? 'DecisionTree' : `RandomForest(${nTrees})`;
        const row = [String(n), task, label, String(jobs), a.seconds.toFixed(3), b.seconds.toFixed(3),
          (a.seconds / b.seconds).toFixed(2), a.cpu.toFixed(3), b.cpu.toFixed(3), (a.cpu / b.cpu).toFixed(2), a.score.toFixed(4), b.score.toFixed(4)];
        rows.push(row);
        console.log(row.join('\t'));
      }
    }
  }
} finally {
  peer.stdin!.end();
  rmSync(dir, { recursive: true, force: true });
}

console.log('\nrows\ttask\tmodel\tjobs\tmlcycle s\tsklearn s\twall ratio\tmlcycle cpu s\tsklearn cpu s\tcpu ratio\tmlcycle score\tsklearn score');
for (const r of rows) console.log(r.join('\t'));
