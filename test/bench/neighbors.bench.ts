/**
 * k-nearest neighbours and Gaussian naive Bayes against scikit-learn 1.2 in the same run: fit on the
 * first 80% of make_classification rows (20 features, 3 classes), predict the other 20% (one fold
 * of 5-fold cross-validation), interleaved with the Python peer, best of N.
 *   node cli/run-ts.mjs test/bench/neighbors.bench.ts [--sizes 10000,100000] [--cols 20] [--reps 2] [--kd]
 * --kd also times sklearn's k-d tree (algorithm='kd_tree') to show why 'auto' picks brute force at 20
 * features; at ≤ 15 features (where both sides use a k-d tree) our brute-force search is timed too.
 * Every run also checks that our k-NN vote shares equal sklearn's row for row.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dense, type Dense } from '../../plugins/algorithms/_dense.ts';
import { fitGaussianNb, gaussianNbPredict } from '../../plugins/algorithms/_gaussian-nb.ts';
import { fitKnn, knnPredict, type KnnModel } from '../../plugins/algorithms/_neighbors.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sizes = flag('--sizes', '10000,100000').split(',').map(Number);
const reps = Number(flag('--reps', '2'));
const withKd = args.includes('--kd');
const COLS = Number(flag('--cols', '20'));
const K = 5;

const peerPath = fileURLToPath(new URL('./sklearn/neighbors-peer.py', import.meta.url));
const peer = spawn('/usr/bin/python3', [peerPath], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
async function ask(command: object): Promise<any> {
  peer.stdin.write(JSON.stringify(command) + '\n');
  const next = await answers.next();
  if (next.done) throw new Error('neighbors-peer.py exited early');
  return JSON.parse(next.value);
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function rowsOf(x: Float64Array, from: number, to: number): Dense {
  return dense(to - from, COLS, x.slice(from * COLS, to * COLS));
}

function time<T>(fn: () => T): { seconds: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { seconds: (performance.now() - started) / 1000, value };
}

const best = (values: number[]) => Math.min(...values);
const fmt = (s: number) => `${s.toFixed(3)} s`;
const lines: string[] = [];

for (const rows of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-neighbors-'));
  try {
    await ask({ cmd: 'gen', dir, rows, cols: COLS, seed: 0 });
    const train = Math.floor(rows * 0.8);
    const x = readF64(join(dir, 'cls-x.f64'));
    const y = readF64(join(dir, 'cls-y.f64'));
    const xTrain = rowsOf(x, 0, train);
    const xTest = rowsOf(x, train, rows);
    const yTrain = y.slice(0, train);
    const t = { brute: [] as number[], ours: [] as number[], sk1: [] as number[], skAll: [] as number[], kd: [] as number[], nb: [] as number[], skNb: [] as number[] };
    let shares: Dense | undefined;
    let posteriors: Dense | undefined;
    for (let r = 0; r < reps; r++) {
      t.sk1.push((await ask({ cmd: 'knn', dir, task: 'cls', n_jobs: 1, algorithm: 'auto', train, k: K })).seconds);
      const ours = time(() => knnPredict(fitKnn(xTrain, yTrain, { k: K, classes: 3, standardize: false }), xTest));
      t.ours.push(ours.seconds);
      shares = ours.value;
      if (COLS <= 15 && r === 0) {
        t.brute.push(time(() => {
          const { tree: _, ...brute }: KnnModel = fitKnn(xTrain, yTrain, { k: K, classes: 3, standardize: false });
          return knnPredict(brute, xTest);
        }).seconds);
      }
      t.skAll.push((await ask({ cmd: 'knn', dir, task: 'cls', n_jobs: null, algorithm: 'auto', train, k: K })).seconds);
      if (withKd && r === 0) t.kd.push((await ask({ cmd: 'knn', dir, task: 'cls', n_jobs: 1, algorithm: 'kd_tree', train, k: K })).seconds);
      // Naive Bayes takes milliseconds: more tries per round, or scheduler noise decides the ratio.
      for (let i = 0; i < 5; i++) {
        t.skNb.push((await ask({ cmd: 'nb', dir, train })).seconds);
        const nb = time(() => gaussianNbPredict(fitGaussianNb(xTrain, yTrain, 3, { varSmoothing: 1e-9 }), xTest));
        t.nb.push(nb.seconds);
        posteriors = nb.value;
      }
    }
    // The last sklearn k-NN call ran with n_jobs=null (or kd_tree): both give the same shares.
    const sk = readF64(join(dir, 'sk-cls.f64'));
    let differ = 0;
    for (let i = 0; i < xTest.rows; i++) {
      for (let c = 0; c < 3; c++) if (sk[i * 3 + c] !== shares!.data[i * 3 + c]) { differ++; break; }
    }
    const skNb = readF64(join(dir, 'sk-nb.f64'));
    let nbGap = 0;
    for (let i = 0; i < skNb.length; i++) nbGap = Math.max(nbGap, Math.abs(skNb[i] - posteriors!.data[i]));
    const ours = best(t.ours);
    lines.push(
      `${rows} rows × ${COLS} (train ${train}, predict ${rows - train}), k=${K}, best of ${reps}`,
      `  k-NN   mlcycle ${fmt(ours)} | sklearn n_jobs=1 ${fmt(best(t.sk1))} (ratio ${(ours / best(t.sk1)).toFixed(2)}×)` +
        ` | sklearn n_jobs=default ${fmt(best(t.skAll))} (ratio ${(ours / best(t.skAll)).toFixed(2)}×)` +
        (withKd ? ` | sklearn kd_tree n_jobs=1 ${fmt(best(t.kd))}` : '') +
        (t.brute.length ? ` | mlcycle brute force ${fmt(best(t.brute))}` : ''),
      `         rows whose vote shares differ from sklearn's: ${differ} of ${xTest.rows}`,
      `  GaussianNB mlcycle ${fmt(best(t.nb))} | sklearn ${fmt(best(t.skNb))} (ratio ${(best(t.nb) / best(t.skNb)).toFixed(2)}×)` +
        ` | max |Δ posterior| ${nbGap.toExponential(1)}`,
    );
    process.stderr.write(lines.slice(-4).join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
peer.stdin.end();
console.log(lines.join('\n'));
