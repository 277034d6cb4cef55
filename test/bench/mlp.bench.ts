/**
 * MLP training speed and accuracy: mlcycle's plain TypeScript loops (plugins/algorithms/_mlp-fit.ts)
 * against TensorFlow.js on its wasm and cpu backends and against scikit-learn's MLPClassifier, on the
 * same 10,000 × 20, 3-class table (test/bench/mlp-data.ts), in the same run, interleaved, best of N.
 *   node cli/run-ts.mjs test/bench/mlp.bench.ts [--rounds 3] [--epochs 50] [--cpu-epochs 10] [--rows 10000] [--hidden '256,256;512'] [--no-parity] [--json]
 * Speed: hidden [100] and [32, 16], a fixed epoch count (tol 0), Adam lr 1e-3, batch 200; prints
 * ms/epoch and each contender's ratio to the TS loops (tfjs cpu: --cpu-epochs, as slow as it is). Kernel: float64 vs float32 buffers.
 * Parity: accuracy at scikit-learn defaults (held-out 20%, 3 seeds each) and R² on a target far from
 * zero that the caller standardises (sklearn shown on the raw and on the standardised target).
 * Targets: TS loops faster than tfjs wasm; accuracy within 1 point of sklearn, R² within 0.01.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTf } from '../../plugins/algorithms/_backend.ts';
import { fitMlp, mlpPredict } from '../../plugins/algorithms/_mlp-fit.ts';
import * as net64 from '../../plugins/algorithms/_mlp-net.ts';
import { float32Net, kernelEpochMs, runPeer, timeLoops, timeSklearn, timeTfjs, type Timing } from './mlp-contenders.ts';
import { benchTable, part, writeCsv } from './mlp-data.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const ROUNDS = flag('--rounds', 3);
const EPOCHS = flag('--epochs', 50);
const ROWS = flag('--rows', 10_000);
// tfjs cpu runs ~5 s an epoch here: its per-epoch cost is flat after the first, so fewer epochs measure it.
const CPU_EPOCHS = Math.min(EPOCHS, flag('--cpu-epochs', 10));
const json = args.includes('--json');
const log = (line: string) => process.stderr.write(line + '\n');
const hiddenFlag = args.includes('--hidden') ? args[args.indexOf('--hidden') + 1] : undefined;
/** `--hidden "256,256;512"`: layer lists to time instead of the defaults. */
const HIDDEN = hiddenFlag ? hiddenFlag.split(';').map((l) => l.split(',').map(Number)) : [[100], [32, 16]];

const table = benchTable({ rows: ROWS, features: 20, classes: 3, seed: 0 });
const dir = mkdtempSync(join(tmpdir(), 'mlp-bench-'));
const csv = join(dir, 'table.csv');
writeCsv(table, csv);
const { tf, backend } = await initTf();
const net32 = await float32Net(dir);

type Name = 'ts loops' | 'tfjs wasm' | 'tfjs cpu' | 'sklearn' | 'sklearn 1 thread';
const contenders: Array<[Name, (h: number[]) => Promise<Timing> | Timing]> = [
  ['ts loops', (h) => timeLoops(table.x, table.y, 3, h, EPOCHS)],
  ['tfjs wasm', (h) => timeTfjs(tf, 'wasm', table.x, table.y, 3, h, EPOCHS)],
  ['tfjs cpu', (h) => timeTfjs(tf, 'cpu', table.x, table.y, 3, h, CPU_EPOCHS)],
  ['sklearn', (h) => timeSklearn(csv, h, EPOCHS)],
  ['sklearn 1 thread', (h) => timeSklearn(csv, h, EPOCHS, 1)],
];

const speed: Record<string, Record<string, { best: number; all: number[]; loss: number }>> = {};
const kernel: Record<string, { f64: number; f32: number }> = {};
try {
  for (const hidden of HIDDEN) {
    const key = `[${hidden.join(', ')}]`;
    const rows: Record<string, { best: number; all: number[]; loss: number }> = (speed[key] = {});
    const k = { f64: Infinity, f32: Infinity };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, run] of contenders) {
        const t = await run(hidden);
        const row = (rows[name] ??= { best: Infinity, all: [], loss: t.loss });
        row.all.push(t.msPerEpoch);
        row.best = Math.min(row.best, t.msPerEpoch);
        log(`${key} round ${round} ${name}: ${t.msPerEpoch.toFixed(2)} ms/epoch (loss ${t.loss.toFixed(4)})`);
      }
      k.f64 = Math.min(k.f64, kernelEpochMs(net64, table.x, table.y, 3, hidden, 5));
      k.f32 = Math.min(k.f32, kernelEpochMs(net32, table.x, table.y, 3, hidden, 5));
    }
    kernel[key] = k;
  }
  await tf.setBackend(backend);
  const parity = args.includes('--no-parity') ? undefined : await accuracyParity();
  const result = { rows: ROWS, epochs: EPOCHS, cpuEpochs: CPU_EPOCHS, rounds: ROUNDS, tfjsBackend: backend, speed, kernel, parity };
  if (json) console.log(JSON.stringify(result, null, 2));
  else printTable(result);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function accuracyParity() {
  const train = part(table, (i) => table.isTest[i] === 0);
  const test = part(table, (i) => table.isTest[i] === 1);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const ours = { accuracy: [] as number[], accuracyEarly: [] as number[], r2Scaled: [] as number[] };
  const [mu, sd] = [mean(Array.from(train.r)), Math.sqrt(mean(Array.from(train.r, (v) => (v - mean(Array.from(train.r))) ** 2)))];
  const rScaled = train.r.map((v) => (v - mu) / sd);
  for (let seed = 0; seed < 3; seed++) {
    for (const earlyStopping of [false, true]) {
      const fit = await fitMlp(train.x, train.y, { task: 'multiclass', classes: 3 }, { seed, earlyStopping });
      (earlyStopping ? ours.accuracyEarly : ours.accuracy).push(accuracy(mlpPredict(fit.model, test.x).data, test.y));
    }
    const reg = await fitMlp(train.x, rScaled, { task: 'regression', classes: 0 }, { seed });
    const pred = mlpPredict(reg.model, test.x).data.map((v) => v * sd + mu);
    ours.r2Scaled.push(r2(pred, test.r));
    log(`parity seed ${seed}: accuracy ${ours.accuracy[seed].toFixed(4)}, early ${ours.accuracyEarly[seed].toFixed(4)}, R² ${ours.r2Scaled[seed].toFixed(4)}`);
  }
  const sk = runPeer(['parity', csv]) as Record<string, number[]>;
  const summary = (a: number[]) => ({ mean: mean(a), values: a });
  return {
    mlcycle: { accuracy: summary(ours.accuracy), accuracyEarly: summary(ours.accuracyEarly), r2: summary(ours.r2Scaled) },
    sklearn: { accuracy: summary(sk.accuracy), accuracyEarly: summary(sk.accuracyEarly), r2: summary(sk.r2Scaled), r2RawTarget: summary(sk.r2Raw) },
  };
}

function accuracy(proba: Float64Array, y: Float64Array): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let j = 1; j < 3; j++) if (proba[i * 3 + j] > proba[i * 3 + best]) best = j;
    hits += best === y[i] ? 1 : 0;
  }
  return hits / y.length;
}

function r2(pred: Float64Array, y: Float64Array): number {
  const m = y.reduce((s, v) => s + v, 0) / y.length;
  let [sse, sst] = [0, 0];
  y.forEach((v, i) => ((sse += (v - pred[i]) ** 2), (sst += (v - m) ** 2)));
  return 1 - sse / sst;
}

function printTable(r: { speed: typeof speed; kernel: typeof kernel; parity?: Awaited<ReturnType<typeof accuracyParity>>; tfjsBackend: string }) {
  console.log(`MLP training, ${ROWS} rows × 20 features, 3 classes, ${EPOCHS} epochs (tfjs cpu ${CPU_EPOCHS}), batch 200, best of ${ROUNDS} (tfjs default backend: ${r.tfjsBackend})`);
  for (const [hidden, rows] of Object.entries(r.speed)) {
    const base = rows['ts loops'].best;
    const sk = rows.sklearn.best;
    const sk1 = rows['sklearn 1 thread'].best;
    console.log(`\nhidden ${hidden}`);
    console.log('contender          ms/epoch   × ts loops   × sklearn   × sklearn 1t   last loss');
    for (const [name, row] of Object.entries(rows)) {
      console.log(`${name.padEnd(18)} ${row.best.toFixed(2).padStart(8)}   ${(row.best / base).toFixed(2).padStart(9)}   ${(row.best / sk).toFixed(2).padStart(8)}   ${(row.best / sk1).toFixed(2).padStart(11)}   ${row.loss.toFixed(4)}`);
    }
    const k = r.kernel[hidden];
    console.log(`kernel (forward+backward, no optimiser): float64 ${k.f64.toFixed(2)} ms/epoch, float32 ${k.f32.toFixed(2)} ms/epoch (f32/f64 ${(k.f32 / k.f64).toFixed(2)})`);
  }
  if (r.parity) {
    const { mlcycle: m, sklearn: s } = r.parity;
    const pts = (a: number, b: number) => `${((a - b) * 100).toFixed(2)} points`;
    console.log('\nparity at defaults (hidden [100], max_iter 200, tol 1e-4), held-out 20%, mean of 3 seeds');
    console.log(`accuracy            mlcycle ${m.accuracy.mean.toFixed(4)}  sklearn ${s.accuracy.mean.toFixed(4)}  (${pts(m.accuracy.mean, s.accuracy.mean)})`);
    console.log(`accuracy, early     mlcycle ${m.accuracyEarly.mean.toFixed(4)}  sklearn ${s.accuracyEarly.mean.toFixed(4)}  (${pts(m.accuracyEarly.mean, s.accuracyEarly.mean)})`);
    console.log(`R², target ≈ 1000   mlcycle ${m.r2.mean.toFixed(4)}  sklearn ${s.r2.mean.toFixed(4)} on the standardised target (Δ ${(m.r2.mean - s.r2.mean).toFixed(4)}); sklearn on the raw target ${s.r2RawTarget.mean.toFixed(4)}`);
  }
}
