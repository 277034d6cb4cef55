/**
 * Speed against scikit-learn (issue 6): for every algorithm of dags/tabular.ts on generated tables,
 * `mlcycle run dags/tabular.ts` (5-fold CV, fresh home: nothing cached) beside scikit-learn's
 * cross_val_score(n_jobs=2) with the same preprocessing (test/bench/sklearn/speed-peer.py, Debian's
 * /usr/bin/python3), both as child processes under /usr/bin/time, interleaved, in the same run.
 *   npm run bench:speed                                   every size: 10k, 100k and wide
 *   npm run bench:speed -- --sizes 10k --only tree        dataset or dataset/algorithm substrings, comma-separated
 *   npm run bench:speed -- --repeat 3 --timeout-s 900 --json
 * Targets (missed ones are printed, not fatal): wall time ≤ 2× scikit-learn, score no more than 1 point
 * of accuracy (0.01 R²) below, peak memory ≤ 3×. Exit code 1 if a run fails (a timeout is not a failure).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METRIC, SIZES, SPEED_ALGORITHMS, SPEED_DATASETS, TARGETS, type SpeedDataset, type SpeedSize } from './speed-datasets.ts';
import { PEER, PYTHON, runMlcycle, runPeer, type SideResult } from './speed-sides.ts';
import { formatTable, judge, type SpeedRow } from './speed-table.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const log = (line: string) => process.stderr.write(line + '\n');

interface Options { json: boolean; only?: string; sizes: SpeedSize[]; repeat: number; timeoutS: number }

function parseArgs(argv: string[]): Options {
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const sizes = (value('--sizes') ?? SIZES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = sizes.filter((s) => !SIZES.includes(s as SpeedSize));
  if (unknown.length) throw new Error(`--sizes: unknown ${unknown.join(', ')}; use a comma list of ${SIZES.join(', ')}`);
  const repeat = Number(value('--repeat') ?? 1);
  const timeoutS = Number(value('--timeout-s') ?? 900);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat: a whole number ≥ 1');
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error('--timeout-s: a number of seconds > 0');
  return { json: argv.includes('--json'), only: value('--only'), sizes: sizes as SpeedSize[], repeat, timeoutS };
}

/** Writes the tables with scikit-learn's generators (seeded) into `folder`; returns the versions it reports. */
function generate(folder: string, datasets: SpeedDataset[]): Record<string, string> {
  const out = execFileSync(PYTHON, [PEER, 'generate', folder, ...datasets.map((d) => d.name)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  const [versions] = out.trim().split('\n').map((l) => JSON.parse(l));
  return versions;
}

/** The faster of two results; a success always beats a timeout or failure. */
function better(a: SideResult | undefined, b: SideResult): SideResult {
  if (!a) return b;
  if ((a.status === 'ok') !== (b.status === 'ok')) return a.status === 'ok' ? a : b;
  return b.seconds < a.seconds ? b : a;
}

async function measure(dataset: SpeedDataset, csv: string, algorithm: string, opts: Options): Promise<SpeedRow> {
  let ml: SideResult | undefined;
  let sk: SideResult | undefined;
  for (let rep = 0; rep < opts.repeat; rep++) {
    // Alternate who goes first, so a load spike on the shared machine does not always hit the same side.
    const order = rep % 2 === 0 ? ['mlcycle', 'sklearn'] : ['sklearn', 'mlcycle'];
    for (const side of order) {
      if (side === 'mlcycle') {
        const r = await runMlcycle(root, dataset, csv, algorithm, opts.timeoutS);
        log(`  mlcycle ${r.status} ${r.seconds.toFixed(1)} s${r.score === undefined ? '' : ` score ${r.score.toFixed(4)}`}${r.error ? `: ${r.error}` : ''}`);
        ml = better(ml, r);
      } else {
        const r = await runPeer(root, dataset, csv, algorithm, opts.timeoutS);
        log(`  sklearn ${r.status} ${r.seconds.toFixed(1)} s${r.score === undefined ? '' : ` score ${r.score.toFixed(4)}`}${r.error ? `: ${r.error}` : ''}`);
        sk = better(sk, r);
      }
    }
    // Repeating a failure or a timeout teaches nothing and costs up to the timeout again.
    if (ml!.status !== 'ok' || sk!.status !== 'ok') break;
  }
  return judge(dataset, algorithm, METRIC[dataset.task], ml!, sk!, opts.repeat);
}

function header(opts: Options, versions: Record<string, string>, datasets: SpeedDataset[], load: number[]): string {
  return [
    `mlcycle dags/tabular.ts (5-fold CV) vs scikit-learn ${versions.sklearn} cross_val_score(n_jobs=2), same preprocessing; node ${process.version}, python ${versions.python}, ` +
    `${cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(' ')} at start; best of ${opts.repeat}, timeout ${opts.timeoutS} s`,
    ...datasets.map((d) => `  ${d.name}: ${d.rows} rows × ${d.features} features, ${d.about}`),
    'mlcycle s: the whole `node cli/bin.mjs run` on a fresh home: start-up, CSV load, 5 fold branches (preprocess, fit, predict, score), AND a',
    '  final model on all rows (the export bundle\'s, a 6th fit: "final fit s"), the out-of-fold report and the bundle export.',
    'sklearn s: the whole python process: imports, pandas read_csv, Pipeline(preprocessing, estimator), cross_val_score (5 fits, no final model).',
    'score: accuracy ×100 or R²; diff = mlcycle − sklearn. Each side cuts its own seeded folds (mlcycle\'s splitters, scikit-learn\'s',
    '  StratifiedKFold/KFold(shuffle, random_state 0)), so a diff carries fold noise; bench:quality compares on identical folds.',
    'MiB: GNU time\'s peak RSS of the largest single process (scikit-learn\'s n_jobs workers are separate processes);',
    '  tree MiB: peak summed PSS of the whole process tree, sampled every 500 ms; mem × uses tree MiB.',
    `targets: time ≤ ${TARGETS.timeRatio}×, score ≥ sklearn − ${TARGETS.scoreBelow} (1 point / 0.01 R²), memory ≤ ${TARGETS.memoryRatio}×; "missed" does not fail the run.`,
  ].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const datasets = SPEED_DATASETS.filter((d) => opts.sizes.includes(d.size));
  const plan = datasets.flatMap((d) => SPEED_ALGORITHMS[d.task].map((a) => ({ dataset: d, algorithm: a })))
    .filter((p) => !opts.only || opts.only.split(',').some((o) => `${p.dataset.name}/${p.algorithm}`.includes(o.trim())));
  if (!plan.length) throw new Error(`nothing to run: no dataset/algorithm of sizes ${opts.sizes.join(',')} matches --only '${opts.only}'`);
  const needed = datasets.filter((d) => plan.some((p) => p.dataset === d));
  const load = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'mlcycle-speed-data-'));
  const rows: SpeedRow[] = [];
  let versions: Record<string, string>;
  try {
    log(`generating ${needed.map((d) => d.name).join(', ')} in ${scratch}`);
    versions = generate(scratch, needed);
    for (const { dataset, algorithm } of plan) {
      log(`… ${dataset.name} / ${algorithm}`);
      rows.push(await measure(dataset, join(scratch, `${dataset.name}.csv`), algorithm, opts));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const failures = rows.filter((r) => r.mlcycle.status === 'failed' || r.sklearn.status === 'failed');
  const missed = rows.flatMap((r) => (['time', 'score', 'memory'] as const)
    .filter((k) => r.verdict[k] === 'missed').map((k) => `${r.dataset}/${r.algorithm}/${k}`));
  if (opts.json) {
    process.stdout.write(JSON.stringify({
      node: process.version, ...versions, cores: cpus().length, loadAverage: load, repeat: opts.repeat, timeoutS: opts.timeoutS,
      targets: TARGETS, datasets: needed, rows, missed,
      failures: failures.map((r) => ({ run: `${r.dataset}/${r.algorithm}`, mlcycle: r.mlcycle.error, sklearn: r.sklearn.error })),
    }, null, 2) + '\n');
  } else {
    console.log(header(opts, versions, needed, load));
    console.log(formatTable(rows));
    const met = rows.flatMap((r) => Object.values(r.verdict)).filter((v) => v === 'ok').length;
    console.log(`${met}/${rows.length * 3} targets met; missed: ${missed.length ? missed.join(', ') : 'none'}`);
    for (const r of failures) console.log(`failed: ${r.dataset}/${r.algorithm}: ${[r.mlcycle.error && `mlcycle ${r.mlcycle.error}`, r.sklearn.error && `sklearn ${r.sklearn.error}`].filter(Boolean).join('; ')}`);
  }
  if (failures.length) process.exitCode = 1;
}

await main();
