/**
 * Data scale: the data steps of dags/tabular.ts on 100k and 1M rows × 20 columns, beside pandas and
 * scikit-learn on the same file in the same run.
 *   node cli/run-ts.mjs test/bench/data.bench.ts [--sizes 100000,1000000] [--reps 3] [--json]
 * For each size a seeded CSV is written to a temp folder (17 numeric columns with some blanks, 2 string
 * categorical columns, a 0/1 target with a few blanks). Then, alternating, best of `reps`:
 *  - pandas: test/bench/sklearn/data-peer.py (read_csv; median impute + scale and most-frequent impute +
 *    one-hot fitted on 80% of the rows, transform of train and test);
 *  - ours: loaders/csv, Table encode and decode (Arrow IPC, as the engine stores every output), problem/define,
 *    validators/infer-schema, cleaners/drop-missing-target, splitters/auto-k-fold (k = 5), splitters/select-fold
 *    (fold 0), transformers/auto-preprocess, transformers/apply on train and test. Each task is fed the decoded
 *    outputs of the one before, as in a run; the codec work between tasks is timed as its own row.
 * Each side runs in a fresh child process per size, so its peak RSS (getrusage maxRSS) is that size's alone.
 * To profile one side: `node cli/run-ts.mjs test/bench/data.bench.ts --write-csv /tmp/d.csv 1000000`, then
 * `node --cpu-prof cli/run-ts.mjs test/bench/data.bench.ts --child /tmp/d.csv`.
 * Targets (issue 6): CSV load of 1M rows ≤ 2× pandas' read_csv; whole-pipeline peak RSS ≤ 3× pandas'.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table } from '../../core/index.ts';
import { dropMissingTarget } from '../../plugins/cleaners/drop-missing-target.ts';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { defineProblem } from '../../plugins/problem/define.ts';
import { autoKFold } from '../../plugins/splitters/auto-k-fold.ts';
import { selectFold } from '../../plugins/splitters/select-fold.ts';
import { apply } from '../../plugins/transformers/apply.ts';
import { autoPreprocess } from '../../plugins/transformers/auto-preprocess.ts';
import { inferSchema } from '../../plugins/validators/infer-schema.ts';
import { runTask } from '../helpers/task-context.ts';

const TARGET = 'label';
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

interface OursResult {
  rows: number;
  steps: Record<string, number>;
  /** CPU seconds (user + system) of the load: steadier than wall time on a shared machine. */
  loadCpuS: number;
  ipcMb: number;
  features: number;
  startMb: number;
  loadPeakMb: number;
  peakMb: number;
}

interface PeerResult {
  rows: number;
  read_csv_s: number;
  read_csv_cpu_s: number;
  clean_split_s: number;
  fit_s: number;
  apply_s: number;
  features: number;
  start_mb: number;
  load_peak_mb: number;
  peak_mb: number;
}

if (args[0] === '--child') await child(args[1]);
else if (args[0] === '--write-csv') await writeCsv(args[1], Number(args[2]), 42);
else await parent();

/** One size, measured once, in this (fresh) process; prints one JSON line. */
async function child(csv: string): Promise<void> {
  const mb = () => process.resourceUsage().maxRSS / 1024;
  const steps: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    steps[name] = (steps[name] ?? 0) + (performance.now() - t0) / 1000;
    return out;
  };
  // What the engine does between two tasks: encode the output for the store, decode it for the consumer.
  const handOver = (t: any) => timed('codec (between tasks)', () => Table.decode(Table.encode(t)));
  const startMb = mb();

  const cpu0 = process.cpuUsage();
  const { table: loaded } = await timed('load (loaders/csv)', () => runTask(csvLoader, {}, { path: csv }));
  const cpu = process.cpuUsage(cpu0);
  const loadCpuS = (cpu.user + cpu.system) / 1e6;
  const loadPeakMb = mb();
  const bytes = await timed('encode (Arrow IPC)', () => Table.encode(loaded));
  const raw = await timed('decode (Arrow IPC)', () => Table.decode(bytes));
  const { problem } = await timed('problem/define', () => runTask(defineProblem, { table: raw }, { target: TARGET }));
  await timed('infer-schema', () => runTask(inferSchema, { table: raw }));
  const { table: cleaned } = await timed('drop-missing-target', () => runTask(dropMissingTarget, { table: raw, problem }));
  const clean = await handOver(cleaned);
  const { folds } = await timed('auto-k-fold (k=5)', () => runTask(autoKFold, { table: clean, problem }, { k: 5, seed: 0 }));
  const split = await timed('select-fold', () => runTask(selectFold, { table: clean, folds }, { fold: 0 }));
  const train = await handOver(split.train);
  const test = await handOver(split.test);
  const { transform } = await timed('auto-preprocess (fit)', () => runTask(autoPreprocess, { train, problem }));
  const { table: trainX } = await timed('apply (train)', () => runTask(apply, { table: train, transform }));
  const { table: testX } = await timed('apply (test)', () => runTask(apply, { table: test, transform }));
  await handOver(trainX);
  await handOver(testX);
  const result: OursResult = {
    rows: loaded.numRows(), steps, loadCpuS, ipcMb: bytes.byteLength / 2 ** 20, features: trainX.numCols() - 1, startMb, loadPeakMb, peakMb: mb(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function parent(): Promise<void> {
  const sizes = opt('--sizes', '100000,1000000').split(',').map(Number);
  const reps = Number(opt('--reps', '3'));
  const json = args.includes('--json');
  const self = fileURLToPath(import.meta.url);
  const runTs = fileURLToPath(new URL('../../cli/run-ts.mjs', import.meta.url));
  const peer = fileURLToPath(new URL('./sklearn/data-peer.py', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-data-bench-'));
  const report: Array<{ rows: number; csvMb: number; ours: OursResult; pandas: PeerResult }> = [];
  try {
    for (const rows of sizes) {
      const csv = join(dir, `data-${rows}.csv`);
      await writeCsv(csv, rows, 42);
      const csvMb = statSync(csv).size / 2 ** 20;
      const ours: OursResult[] = [];
      const pandas: PeerResult[] = [];
      for (let r = 0; r < reps; r++) {
        const run = (cmd: string, argv: string[]) => JSON.parse(execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop()!);
        pandas.push(run('/usr/bin/python3', [peer, csv, TARGET]));
        ours.push(run(process.execPath, [runTs, self, '--child', csv]));
        if (!json) process.stderr.write(`${rows} rows: rep ${r + 1}/${reps} done\n`);
      }
      report.push({ rows, csvMb, ours: bestOf(ours), pandas: bestOfPeer(pandas) });
      rmSync(csv, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  for (const { rows, csvMb, ours, pandas } of report) printSize(rows, csvMb, ours, pandas, reps);
}

/** Best time per step over the runs; the largest peak (memory is not something to take the best of). */
function bestOf(runs: OursResult[]): OursResult {
  const steps: Record<string, number> = {};
  for (const name of Object.keys(runs[0].steps)) steps[name] = Math.min(...runs.map((r) => r.steps[name]));
  return { ...runs[0], steps, loadCpuS: Math.min(...runs.map((r) => r.loadCpuS)), loadPeakMb: Math.max(...runs.map((r) => r.loadPeakMb)), peakMb: Math.max(...runs.map((r) => r.peakMb)) };
}

function bestOfPeer(runs: PeerResult[]): PeerResult {
  const min = (k: keyof PeerResult) => Math.min(...runs.map((r) => r[k] as number));
  const max = (k: keyof PeerResult) => Math.max(...runs.map((r) => r[k] as number));
  return { ...runs[0], read_csv_s: min('read_csv_s'), read_csv_cpu_s: min('read_csv_cpu_s'), clean_split_s: min('clean_split_s'), fit_s: min('fit_s'), apply_s: min('apply_s'),
    load_peak_mb: max('load_peak_mb'), peak_mb: max('peak_mb') };
}

function printSize(rows: number, csvMb: number, ours: OursResult, pandas: PeerResult, reps: number): void {
  const s = ours.steps;
  const sum = (names: string[]) => names.reduce((a, n) => a + (s[n] ?? 0), 0);
  const total = sum(Object.keys(s));
  const pandasTotal = pandas.read_csv_s + pandas.clean_split_s + pandas.fit_s + pandas.apply_s;
  const f = (x: number) => x.toFixed(3);
  const line = (name: string, mine: number, theirs?: number, what = '') =>
    console.log(`  ${name.padEnd(26)} ${f(mine).padStart(8)}  ${theirs === undefined ? ''.padStart(8) : f(theirs).padStart(8)}  ${
      theirs === undefined ? ''.padStart(6) : `${(mine / theirs).toFixed(2)}×`.padStart(6)}  ${what}`);
  console.log(`\n${rows.toLocaleString('en')} rows × 20 columns (${csvMb.toFixed(1)} MB CSV, ${ours.ipcMb.toFixed(1)} MB Arrow IPC, ` +
    `${ours.features} features after preprocessing; best of ${reps})`);
  console.log(`  ${'step'.padEnd(26)} ${'ours s'.padStart(8)}  ${'pandas s'.padStart(8)}  ${'ratio'.padStart(6)}`);
  line('load (loaders/csv)', s['load (loaders/csv)'], pandas.read_csv_s, 'pandas.read_csv');
  line('load, CPU seconds', ours.loadCpuS, pandas.read_csv_cpu_s, 'user + system, both processes');
  for (const name of Object.keys(s)) if (name !== 'load (loaders/csv)' && !/auto-preprocess|apply/.test(name)) line(name, s[name]);
  line('auto-preprocess (fit)', s['auto-preprocess (fit)'], pandas.fit_s, 'ColumnTransformer.fit (80% rows)');
  line('apply (train + test)', sum(['apply (train)', 'apply (test)']), pandas.apply_s, 'ColumnTransformer.transform ×2');
  line('whole pipeline', total, pandasTotal, 'read_csv + split + fit + transform');
  const m = (x: number) => `${x.toFixed(0)} MB`;
  console.log(`  peak RSS after load: ours ${m(ours.loadPeakMb)}, pandas ${m(pandas.load_peak_mb)} (${(ours.loadPeakMb / pandas.load_peak_mb).toFixed(2)}×)` +
    `; at start: ours ${m(ours.startMb)}, pandas ${m(pandas.start_mb)}`);
  console.log(`  peak RSS whole pipeline: ours ${m(ours.peakMb)}, pandas + scikit-learn ${m(pandas.peak_mb)} (${(ours.peakMb / pandas.peak_mb).toFixed(2)}×; target ≤ 3×)`);
  console.log(`  CSV load ratio ${(s['load (loaders/csv)'] / pandas.read_csv_s).toFixed(2)}× wall, ` +
    `${(ours.loadCpuS / pandas.read_csv_cpu_s).toFixed(2)}× CPU (target ≤ 2× at 1M rows)`);
}

/** Seeded CSV: 14 float columns (2% blank), 3 integer columns, 2 categorical string columns (1% blank), a 0/1 target (0.5% blank). */
async function writeCsv(file: string, rows: number, seed: number): Promise<void> {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const colours = ['red', 'green', 'blue', 'amber', 'violet'];
  const codes = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}`);
  const header = [...Array.from({ length: 14 }, (_, i) => `f${i + 1}`), 'i1', 'i2', 'i3', 'colour', 'code', TARGET];
  const out = createWriteStream(file);
  const write = (s: string) => new Promise<void>((done) => (out.write(s) ? done() : out.once('drain', done)));
  await write(`${header.join(',')}\n`);
  let chunk: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    let signal = 0;
    for (let c = 0; c < 14; c++) {
      const x = (rand() - 0.5) * 10 * (c + 1);
      if (c < 3) signal += x / (c + 1);
      cells.push(rand() < 0.02 ? '' : x.toFixed(3));
    }
    for (let c = 0; c < 3; c++) cells.push(String(Math.floor(rand() * 1000 * (c + 1))));
    const colour = Math.floor(rand() * colours.length);
    cells.push(rand() < 0.01 ? '' : colours[colour]);
    cells.push(rand() < 0.01 ? '' : codes[Math.floor(rand() * codes.length)]);
    cells.push(rand() < 0.005 ? '' : String(signal + colour + rand() * 4 > 4 ? 1 : 0));
    chunk.push(cells.join(','));
    if (chunk.length === 10_000) {
      await write(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length) await write(`${chunk.join('\n')}\n`);
  await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
}
