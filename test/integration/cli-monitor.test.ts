/**
 * Issue 9, monitoring, as a user meets it: a bundle exported by a real `mlcycle run dags/penguins.ts`
 * (with its reference profile), then `mlcycle monitor` on same-distribution rows, shifted rows, a file
 * missing a column, labelled rows, a registered model (models:/), serve's prediction log, and a
 * bundle exported before profiles. Real files, real SQLite, the CLI in a child process.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/index.ts';
import { parseJsonStdout, repoRoot, runCli, tempDir } from './cli-harness.ts';

type Row = Record<string, string | number | null>;
let dir: string;
let home: string;
let bundle: string;
let rows: Row[];

const cli = (args: string[]) => runCli(['--home', home, ...args], { cwd: dir, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined } });
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const FEATURES = ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'];

function writeCsv(name: string, data: Row[], columns = Object.keys(data[0]!)): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  writeFileSync(join(dir, name), [columns.join(','), ...data.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n');
  return join(dir, name);
}

/** 0.8 standard deviations added to three measurements (integers stay integers), and the islands rotated. */
function shifted(r: Row): Row {
  const add = (v: unknown, d: number) => (typeof v === 'number' ? Math.round(v + d) : v) as number | null;
  const island: Record<string, string> = { Biscoe: 'Dream', Dream: 'Torgersen', Torgersen: 'Biscoe' };
  return {
    ...r, 'Beak Length (mm)': add(r['Beak Length (mm)'], 4.4), 'Flipper Length (mm)': add(r['Flipper Length (mm)'], 11), 'Body Mass (g)': add(r['Body Mass (g)'], 640),
    Island: island[String(r.Island)] ?? r.Island,
  };
}

const withoutLabel = (r: Row): Row => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'Species'));

beforeAll(async () => {
  dir = tempDir('mlcycle-monitor-cli-');
  home = join(dir, 'home');
  bundle = join(dir, 'bundle');
  rows = JSON.parse(readFileSync(join(repoRoot, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Row[];
  const run = await runCli(['--home', home, 'run', 'dags/penguins.ts', '--param', `out=${bundle}`, '--param', 'maxIter=30', '--json'], {
    env: { MLCYCLE_BUNDLE_SIGNING_KEY: undefined },
  });
  if (run.code !== 0) throw new Error(`mlcycle run failed (${run.code}):\n${run.stderr}`);
  // Half the penguins: the file lists them in female/male pairs, so every other PAIR (every other row
  // would be one sex: a real drift, which monitor does report).
  const half = rows.filter((_, i) => Math.floor(i / 2) % 2 === 0);
  writeCsv('same.csv', half.map(withoutLabel), FEATURES);
  writeCsv('labelled.csv', half.filter((r) => r.Species !== null));
  writeCsv('shifted.csv', half.map((r) => shifted(withoutLabel(r))), FEATURES);
  writeCsv('no-island.csv', rows.map(withoutLabel), FEATURES.filter((f) => f !== 'Island'));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlcycle monitor', () => {
  it('same-distribution rows: no feature drifts, exit 0, the predictions compared but not counted', async () => {
    const out = await cli(['monitor', bundle, '--data', 'same.csv']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('dataset drift: 0 of 6 features drifted (threshold: half) → no drift');
    for (const f of FEATURES) expect(out.stdout).toContain(f);
    expect(out.stdout).toMatch(/predictions \(reported, not counted toward dataset drift\): chi-squared p=[\d.e-]+ .*→ no drift/);
    expect(out.stdout).not.toContain('performance on');
  });

  it('shifted rows: exit 3 naming the shifted features; --json is one object of the documented shape', async () => {
    const text = await cli(['monitor', bundle, '--data', 'shifted.csv']);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/dataset drift: 4 of 6 features drifted \(threshold: half\) → DRIFT/);
    const json = await cli(['monitor', bundle, '--data', 'shifted.csv', '--json']);
    expect(json.code).toBe(3);
    const report = parseJsonStdout(json);
    expect(Object.keys(report).sort()).toEqual(['drift', 'model', 'notes', 'performance', 'prediction', 'rows', 'target', 'uri', 'version']);
    expect(report).toMatchObject({ model: 'penguins', version: null, rows: 172, performance: null, target: null, drift: { dataset: true, drifted: 4 } });
    const drifted = report.drift.features.filter((f: any) => f.drifted).map((f: any) => f.name).sort();
    expect(drifted).toEqual(['Beak Length (mm)', 'Body Mass (g)', 'Flipper Length (mm)', 'Island']);
    const flipper = report.drift.features.find((f: any) => f.name === 'Flipper Length (mm)');
    expect(flipper).toMatchObject({ kind: 'numeric', test: 'ks', threshold: 0.05, distance: null });
    expect(flipper.pValue).toBeLessThan(1e-6);
    expect(flipper.outOfRange.above).toBeGreaterThan(0);
    expect(report.prediction).toMatchObject({ source: 'model', countsTowardDatasetDrift: false, drift: { name: 'predicted', kind: 'categorical' } });
  });

  it('thresholds are options: a drift share of 0.9 calls the same rows no dataset drift; bad values exit 2', async () => {
    const lenient = await cli(['monitor', bundle, '--data', 'shifted.csv', '--drift-share', '0.9', '--json']);
    expect(lenient.code).toBe(0);
    expect((parseJsonStdout(lenient)).drift).toMatchObject({ dataset: false, drifted: 4, thresholds: { datasetShare: 0.9 } });
    for (const [flag, value] of [['--p-value', '1.5'], ['--distance', '-1'], ['--drift-share', 'half']]) {
      const bad = await cli(['monitor', bundle, '--data', 'same.csv', flag!, value!]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`monitor: ${flag} must be`);
    }
  });

  it('a file missing a feature column exits 2 naming the column, the file and the columns it has', async () => {
    const out = await cli(['monitor', bundle, '--data', 'no-island.csv']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("no-island.csv: the data has no column 'Island' (a feature of model penguins); its columns are: 'Beak Length (mm)'");
    expect(out.stdout).toBe('');
  });

  it('labelled rows: performance on them next to the bundle\'s own metrics and the difference', async () => {
    const out = await cli(['monitor', bundle, '--data', 'labelled.csv', '--json']);
    expect(out.code).toBe(0);
    const report = parseJsonStdout(out);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(report.performance).toMatchObject({ primary: 'accuracy', reference: { accuracy: manifest.metrics.accuracy, f1_macro: manifest.metrics.f1_macro } });
    expect(report.performance.metrics.accuracy).toBeGreaterThan(0.9);
    expect(report.performance.difference.accuracy).toBeCloseTo(report.performance.metrics.accuracy - manifest.metrics.accuracy, 12);
    expect(report.target).toMatchObject({ name: 'Species', drifted: false });
    const text = await cli(['monitor', bundle, '--data', 'labelled.csv']);
    expect(text.stdout).toMatch(/performance on \d+ labelled rows/);
    expect(text.stdout).toMatch(/accuracy \*/);
  });

  it('--report writes one self-contained page with every feature\'s distributions and verdict', async () => {
    const out = await cli(['monitor', bundle, '--data', 'shifted.csv', '--report', 'drift.html']);
    expect(out.code).toBe(3);
    const html = readFileSync(join(dir, 'drift.html'), 'utf8');
    for (const f of FEATURES) expect(html).toContain(`data-feature="${f}"`);
    expect(html.match(/<svg/g)!.length).toBe(FEATURES.length + 1);
    expect(html).toMatch(/<section class="feature drifted" id="feature-\d" data-feature="Island">/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // Never over the input it read.
    const clash = await cli(['monitor', bundle, '--data', 'same.csv', '--report', 'same.csv']);
    expect(clash.code).toBe(2);
  });

  it('takes models:/ URIs after models register, and reports the version', async () => {
    expect((await cli(['models', 'register', bundle, '--name', 'penguins'])).code).toBe(0);
    expect((await cli(['models', 'alias', 'penguins', 'champion', '1'])).code).toBe(0);
    const out = await cli(['monitor', 'models:/penguins@champion', '--data', 'same.csv', '--json']);
    expect(out.code).toBe(0);
    expect(parseJsonStdout(out)).toMatchObject({ model: 'penguins', uri: 'models:/penguins@champion', version: 1 });
    const unknown = await cli(['monitor', 'models:/penguins@nobody', '--data', 'same.csv']);
    expect(unknown.code).toBe(2);
  });

  it('--from-log reads serve\'s NDJSON log: logged predictions compared, a torn last line skipped, other models left out', async () => {
    const logDir = join(dir, 'prediction-logs');
    mkdirSync(logDir);
    const line = (r: Row, model = 'penguins') => JSON.stringify({ ts: '2026-12-01T02:03:04.567Z', model, version: 1, row: withoutLabel(r), prediction: r.Species });
    const logged = rows.filter((r, i) => Math.floor(i / 2) % 2 === 0 && r.Species !== null);
    writeFileSync(join(logDir, 'predictions-20261201T020304Z-100.ndjson'), `${logged.slice(0, 80).map((r) => line(r)).join('\n')}\n${line(logged[0]!, 'cars')}\n`);
    // The second file ends in a line cut by a crash.
    writeFileSync(join(logDir, 'predictions-20261201T030000Z-200.ndjson'), `${logged.slice(80).map((r) => line(r)).join('\n')}\n{"ts":"2026-12-01T03:`);
    writeFileSync(join(logDir, 'notes.txt'), 'not a log file');
    const out = await cli(['monitor', bundle, '--from-log', 'prediction-logs', '--json']);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/warning: .*predictions-20261201T030000Z-200\.ndjson:\d+: the last line is cut short/);
    expect(out.stderr).toContain("left out 1 row(s) of model 'cars'");
    const report = parseJsonStdout(out);
    expect(report.rows).toBe(logged.length);
    expect(report.prediction).toMatchObject({ source: 'log', predicted: logged.length, drift: { name: 'predicted', drifted: false } });
    expect(report.performance).toBeNull();
    // A shifted log drifts; one file can be given directly.
    writeFileSync(join(dir, 'shifted.ndjson'), logged.map((r) => line(shifted(r))).join('\n') + '\n');
    const drift = await cli(['monitor', bundle, '--from-log', 'shifted.ndjson']);
    expect(drift.code).toBe(3);
    expect(drift.stdout).toContain('logged predictions (reported, not counted toward dataset drift)');
    // A broken line that is not the last is an error naming file and line.
    writeFileSync(join(dir, 'broken.ndjson'), `${line(logged[0]!)}\n{oops\n${line(logged[1]!)}\n`);
    const broken = await cli(['monitor', bundle, '--from-log', 'broken.ndjson']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.ndjson:2: line 2 is not valid JSON');
  });

  it('a bundle exported before reference profiles exits 2 with the re-export hint', async () => {
    const old = join(dir, 'old-bundle');
    cpSync(bundle, old, { recursive: true });
    rmSync(join(old, 'reference-profile.json'));
    const file = join(old, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    delete manifest.files['reference-profile.json'];
    const { digest: _d, ...body } = manifest;
    writeFileSync(file, JSON.stringify({ ...body, digest: sha(canonicalJson(body)) }));
    expect((await cli(['predict', old, 'same.csv'])).code).toBe(0);
    const out = await cli(['monitor', old, '--data', 'same.csv']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('this bundle has no reference profile; re-export it');
  });
});
