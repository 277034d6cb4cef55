/**
 * Drift monitoring (issue 9, "Measured"): `npm run bench:drift [-- --splits 100 --json]`.
 * On penguins (344 rows: 4 numbers, 3 categories, some missing) and digits (1,797 rows × 64 pixels):
 *  - false alarms: `splits` seeded random halves of the same rows → reference profile / current data;
 *    a false alarm is dataset drift flagged (target ≤ 5 %); the per-feature rate is shown beside.
 *  - detection: the same splits with one numeric feature of the current half shifted by 0.5 × its
 *    standard deviation (over all rows; split k shifts the k-th non-constant numeric feature, cycling);
 *    detected when that feature is flagged (target ≥ 95 %).
 *  Both regimes: "small" = the halves themselves (≤ 1,000 reference values: KS / chi-squared);
 *  "large" = each split draws 20,000 rows with replacement from the dataset (seeded bootstrap) and
 *  halves them (10,000 reference values: normalised Wasserstein / Jensen–Shannon on the profile).
 *  - speed: each test on one split's samples, mlcycle vs scipy 1.10 (test/bench/drift-peer.py, run by
 *    /usr/bin/python3 in the same run) as a ratio of mean time per call (< 1 = mlcycle faster).
 * Exits 1 when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chiSquaredFromShares } from '../../plugins/monitor/chi-squared.ts';
import { detectDrift, type DriftOptions } from '../../plugins/monitor/dataset-drift.ts';
import { jensenShannonDistance } from '../../plugins/monitor/jensen-shannon.ts';
import { ksTwoSample } from '../../plugins/monitor/ks.ts';
import { buildProfile, type CategoricalProfile, type NumericProfile } from '../../plugins/monitor/profile.ts';
import { normalisedWasserstein } from '../../plugins/monitor/wasserstein.ts';
import { mulberry32, permutation } from '../../plugins/random.ts';

type Columns = Record<string, unknown[]>;
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const SPLITS = Number(arg('splits', '100'));
const JSON_OUT = process.argv.includes('--json');

function readCsv(path: string, drop: string[]): Columns {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  const cols: Columns = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) {
    line.split(',').forEach((cell, i) => cols[names[i]].push(cell === '' ? null : Number.isFinite(Number(cell)) ? Number(cell) : cell));
  }
  for (const d of drop) delete cols[d];
  return cols;
}
const take = (cols: Columns, idx: ArrayLike<number>): Columns =>
  Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Array.from(idx, (i) => v[i])]));
const numbers = (v: unknown[]): number[] => v.filter((x): x is number => typeof x === 'number');

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

interface RegimeResult { dataset: string; regime: string; falseAlarms: number; featureFalseRate: number; detected: number; tests: string }

function runRegime(dataset: string, cols: Columns, regime: 'small' | 'large', options: DriftOptions = {}): RegimeResult {
  const rows = Object.values(cols)[0].length;
  const profile0 = buildProfile(cols);
  const shiftable = profile0.features.filter((f): f is NumericProfile => f.kind === 'numeric' && f.std > 0).map((f) => f.name);
  const sds = Object.fromEntries(shiftable.map((n) => [n, std(numbers(cols[n]))]));
  let falseAlarms = 0;
  let featureFlags = 0;
  let featureTests = 0;
  let detected = 0;
  const tests = new Set<string>();
  for (let s = 0; s < SPLITS; s++) {
    const rand = mulberry32(1000 + s);
    let idx: number[];
    if (regime === 'small') idx = permutation(rows, rand);
    else idx = Array.from({ length: 20_000 }, () => Math.floor(rand() * rows));
    const half = Math.floor(idx.length / 2);
    const ref = take(cols, idx.slice(0, half));
    const cur = take(cols, idx.slice(half));
    const profile = buildProfile(ref, { kinds: Object.fromEntries(profile0.features.map((f) => [f.name, f.kind])) });
    const same = detectDrift(profile, cur, options);
    if (same.datasetDrift) falseAlarms++;
    featureFlags += same.driftedFeatures;
    featureTests += same.features.length;
    for (const f of same.features) tests.add(f.test);
    const target = shiftable[s % shiftable.length];
    const shifted = { ...cur, [target]: cur[target].map((v) => (typeof v === 'number' ? v + 0.5 * sds[target] : v)) };
    if (detectDrift(profile, shifted, options).features.find((f) => f.name === target)!.drifted) detected++;
  }
  return { dataset, regime, falseAlarms: falseAlarms / SPLITS, featureFalseRate: featureFlags / featureTests, detected: detected / SPLITS, tests: [...tests].sort().join('+') };
}

interface SpeedCase { test: string; a: number[]; b: number[]; run: () => unknown; note?: string }

function speedCases(penguins: Columns, digits: Columns): SpeedCase[] {
  const cases: SpeedCase[] = [];
  const order = permutation(1797, mulberry32(7));
  const ref = take(digits, order.slice(0, 898));
  const cur = take(digits, order.slice(898));
  for (const name of ['pixel_2_3', 'pixel_4_4', 'pixel_5_2']) {
    const a = numbers(ref[name]);
    const b = numbers(cur[name]);
    cases.push({ test: 'ks', a, b, run: () => ksTwoSample(a, b) });
  }
  const rand = mulberry32(9);
  const boot = Array.from({ length: 20_000 }, () => Math.floor(rand() * 1797));
  const bigProfile = buildProfile(take(digits, boot.slice(0, 10_000)));
  const bigCur = take(digits, boot.slice(10_000));
  for (const name of ['pixel_2_3', 'pixel_4_4']) {
    const p = bigProfile.features.find((f) => f.name === name) as NumericProfile;
    const b = numbers(bigCur[name]);
    // scipy gets the full 10,000-value reference, as Evidently would pass it; mlcycle its 1,000-value profile sample.
    const full = numbers(take(digits, boot.slice(0, 10_000))[name]);
    cases.push({ test: 'wasserstein', a: full, b, run: () => normalisedWasserstein(p.sample, b, p.std), note: `mlcycle: ${p.sample.length}-value profile sample` });
  }
  const pprof = buildProfile(take(penguins, permutation(344, mulberry32(5)).slice(0, 172)));
  for (const name of ['Species', 'Island']) {
    const p = pprof.features.find((f) => f.name === name) as CategoricalProfile;
    const keys = Object.keys(p.shares).sort();
    const counts = Object.fromEntries(keys.map((k) => [k, 0]));
    for (const v of penguins[name]) if (typeof v === 'string') counts[v]++;
    const shares = keys.map((k) => p.shares[k]);
    const observed = keys.map((k) => counts[k]);
    cases.push({ test: 'chi-squared', a: shares, b: observed, run: () => chiSquaredFromShares(p.shares, counts) });
    cases.push({ test: 'jensen-shannon', a: shares, b: observed, run: () => jensenShannonDistance(shares, observed) });
  }
  return cases;
}

function timeOurs(run: () => unknown, repeats: number): number {
  run();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  return (performance.now() - start) / 1000 / repeats;
}

function main(): void {
  const penguins = readCsv('test/fixtures/data/penguins.csv', []);
  const digits = readCsv('test/fixtures/data/digits.csv', ['digit']);
  const results: RegimeResult[] = [];
  for (const [name, cols] of [['penguins', penguins], ['digits', digits]] as const) {
    for (const regime of ['small', 'large'] as const) results.push(runRegime(name, cols, regime));
  }
  // Shown beside, not a target: Evidently's own categorical rule (goodness-of-fit) on the small regime.
  const optionRow = { ...runRegime('penguins', penguins, 'small', { categoricalTest: 'goodness-of-fit' }), regime: 'small*' };
  const repeats = 200;
  const cases = speedCases(penguins, digits);
  const ours = cases.map((c) => timeOurs(c.run, repeats));
  const dir = mkdtempSync(join(tmpdir(), 'drift-bench-'));
  let peer: { seconds: number[]; scipy: string } | undefined;
  try {
    writeFileSync(join(dir, 'cases.json'), JSON.stringify({ repeats, cases: cases.map(({ test, a, b }) => ({ test, a, b })) }));
    const child = spawnSync('/usr/bin/python3', ['test/bench/drift-peer.py', join(dir, 'cases.json')], { encoding: 'utf8' });
    if (child.status === 0) peer = JSON.parse(child.stdout);
    else console.error(`scipy peer failed (speed ratios left out): ${child.stderr.trim().split('\n').pop()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const missed = results.filter((r) => r.falseAlarms > 0.05 || r.detected < 0.95);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  if (JSON_OUT) {
    console.log(JSON.stringify({ splits: SPLITS, results, evidentlyGoodnessOfFit: optionRow, speed: cases.map((c, i) => ({ test: c.test, n: [c.a.length, c.b.length], oursSeconds: ours[i], scipySeconds: peer?.seconds[i] })) }, null, 1));
  } else {
    console.log(`drift: ${SPLITS} seeded splits per row; targets: false alarms ≤ 5 %, detection of a 0.5-sd shift ≥ 95 %`);
    console.log('dataset   regime  tests                          false alarms  (per feature)  detection  target');
    for (const r of results) {
      const ok = r.falseAlarms <= 0.05 && r.detected >= 0.95 ? 'met' : 'MISSED';
      console.log(`${r.dataset.padEnd(9)} ${r.regime.padEnd(7)} ${r.tests.padEnd(30)} ${pct(r.falseAlarms).padStart(12)}  ${pct(r.featureFalseRate).padStart(13)}  ${pct(r.detected).padStart(9)}  ${ok}`);
    }
    const o = optionRow;
    console.log(`${o.dataset.padEnd(9)} ${o.regime.padEnd(7)} ${o.tests.padEnd(30)} ${pct(o.falseAlarms).padStart(12)}  ${pct(o.featureFalseRate).padStart(13)}  ${pct(o.detected).padStart(9)}  (option)`);
    console.log("* categoricalTest: 'goodness-of-fit' (Evidently's chi-squared against reference shares) instead of the default homogeneity test (chi2_contingency); not a target row");
    console.log(`\nspeed per call, mlcycle vs scipy ${peer?.scipy ?? '(peer missing)'} on the same samples (ratio < 1: mlcycle faster)`);
    cases.forEach((c, i) => {
      const theirs = peer?.seconds[i];
      const ratio = theirs ? (ours[i] / theirs).toFixed(2) : 'n/a';
      console.log(`  ${c.test.padEnd(15)} n=${String(c.a.length).padStart(5)}/${String(c.b.length).padEnd(5)} mlcycle ${(ours[i] * 1e6).toFixed(1).padStart(8)} µs  scipy ${theirs ? (theirs * 1e6).toFixed(1).padStart(8) : '     n/a'} µs  ratio ${ratio}${c.note ? `  (${c.note})` : ''}`);
    });
    console.log(missed.length ? `\nMISSED: ${missed.map((r) => `${r.dataset}/${r.regime}`).join(', ')}` : '\nall drift targets met');
  }
  if (missed.length) process.exitCode = 1;
}

main();
