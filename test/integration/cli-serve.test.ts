/**
 * Issue 9, serving, as a user meets it: `mlcycle serve … --port 0` on a bundle exported by a real run
 * and registered in a real workspace, spoken to with fetch() over loopback. Every input form gives
 * what `mlcycle predict` gives; bad payloads get their status and the server keeps serving; V2,
 * /metrics, /docs, the prediction log, several models, the queue bound, alias swap under load,
 * drain on SIGTERM and the bearer token off loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { runCli, tempDir } from './cli-harness.ts';
import { metric, penguinRows, post, startServe, stopAll, type Served } from './serve-harness.ts';

let dir: string;
let home: string;
let rows: Array<Record<string, unknown>>;
let expected: { predictions: unknown[]; probabilities: Array<Record<string, number>> };
let a: Served;
const logDir = () => join(dir, 'log-a');
const cli = (args: string[]) => runCli(['--home', home, ...args], { cwd: dir, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined } });
const serve = (args: string[], env: Record<string, string | undefined> = {}) => startServe(['--home', home, 'serve', ...args, '--port', '0'], { cwd: dir, env });
const FEATURES = ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'];
const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];

beforeAll(async () => {
  dir = tempDir('mlcycle-serve-cli-');
  home = join(dir, 'home');
  const bundle = join(dir, 'bundle');
  const run = await runCli(['--home', home, 'run', 'dags/penguins.ts', '--param', `out=${bundle}`, '--param', 'maxIter=30'], { env: { MLCYCLE_BUNDLE_SIGNING_KEY: undefined } });
  if (run.code !== 0) throw new Error(`mlcycle run failed (${run.code}):\n${run.stderr}`);
  for (const args of [['register', bundle, '--name', 'penguins'], ['register', bundle, '--name', 'penguins'], ['register', bundle, '--name', 'other'], ['alias', 'penguins', 'champion', '1']]) {
    const r = await cli(['models', ...args]);
    if (r.code !== 0) throw new Error(`models ${args.join(' ')} failed:\n${r.stderr}`);
  }
  rows = penguinRows(40);
  writeFileSync(join(dir, 'rows.json'), JSON.stringify(rows));
  const predicted = await cli(['predict', 'models:/penguins/1', 'rows.json', '--json']);
  if (predicted.code !== 0) throw new Error(predicted.stderr);
  const out = JSON.parse(predicted.stdout).predictions as Array<Record<string, unknown>>;
  expected = {
    predictions: out.map((o) => o.predicted),
    probabilities: out.map((o) => Object.fromEntries(CLASSES.map((c) => [c, o[`prob_${c}`] as number]))),
  };
  a = await serve(['models:/penguins/1', '--log-sample', '1', '--log-dir', logDir(), '--body-limit', '64kb']);
}, 300_000);

afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const good = async (s: Served = a) => {
  const r = await post(`${s.url}/invocations`, { dataframe_records: rows.slice(0, 1) });
  expect(r.status).toBe(200);
  expect(r.body.predictions).toEqual(expected.predictions.slice(0, 1));
};

describe('mlcycle serve: POST /invocations and V2 infer', () => {
  it('gives what mlcycle predict gives, in every input form, with the model and version', async () => {
    expect(new Set(expected.predictions)).toEqual(new Set(CLASSES));
    const split = { columns: FEATURES, data: rows.map((r) => FEATURES.map((f) => r[f])) };
    const columns = Object.fromEntries(FEATURES.map((f) => [f, rows.map((r) => r[f])]));
    const csv = `${FEATURES.join(',')}\n${rows.map((r) => FEATURES.map((f) => r[f]).join(',')).join('\n')}\n`;
    for (const body of [{ dataframe_split: split }, { dataframe_records: rows }, { instances: rows }, { inputs: columns }, { inputs: rows }, csv]) {
      const r = await post(`${a.url}/invocations`, body);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-mlcycle-model')).toBe('penguins/1');
      expect(r.body).toEqual(expected);
    }
    const v2 = await post(`${a.url}/v2/models/penguins/infer`, {
      id: 'req-7',
      inputs: FEATURES.map((f) => ({ name: f, shape: [rows.length], datatype: typeof rows[0]![f] === 'number' ? 'FP64' : 'BYTES', data: rows.map((r) => r[f]) })),
    });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ model_name: 'penguins', model_version: '1', id: 'req-7' });
    expect(v2.body.outputs.map((o: { name: string }) => o.name)).toEqual(['predicted', ...CLASSES.map((c) => `prob_${c}`)]);
    expect(v2.body.outputs[0]).toEqual({ name: 'predicted', shape: [rows.length], datatype: 'BYTES', data: expected.predictions });
    expect(v2.body.outputs[1].data).toEqual(expected.probabilities.map((p) => p.Adelie));
  }, 60_000);

  it('refuses bad payloads with the right status, naming row and field, and keeps serving', async () => {
    const row = rows[0]!;
    const cases: Array<[unknown, number, RegExp, Record<string, string>?]> = [
      [{ dataframe_records: [row, { ...row, 'Beak Length (mm)': 'abc' }] }, 400, /row 2: 'Beak Length \(mm\)' must be a number.*got "abc"/],
      [{ instances: [(({ Sex: _s, ...rest }) => rest)(row)] }, 400, /row 1: missing field 'Sex'/],
      [{ instances: [{ ...row, Species: 'Adelie', colour: 'red' }] }, 400, /row 1: unknown field\(s\) 'Species', 'colour'/],
      [{ instances: [{ ...row, Island: 'Atlantis' }] }, 400, /row 1: 'Island' must be one of Biscoe, Dream, Torgersen/],
      [{ instances: [{ ...row, 'Body Mass (g)': 99999 }] }, 400, /row 1: column 'Body Mass \(g\)' = 99999 is outside the training range/],
      [{ instances: [{ ...row, Island: 'x'.repeat(5000) }] }, 400, /got "x{39}…$/],
      [{ rows: [row] }, 400, /exactly one of 'dataframe_split', 'dataframe_records', 'instances', 'inputs'/],
      [{ instances: Array.from({ length: 2000 }, () => row) }, 413, /larger than the server accepts/],
      ['{"instances": [', 400, /malformed JSON/, { 'content-type': 'application/json' }],
      ['a=1', 415, /unsupported content type/, { 'content-type': 'application/x-www-form-urlencoded' }],
      ['Island\nBiscoe\n', 400, /missing field/],
    ];
    for (const [body, status, message, headers] of cases) {
      const r = await post(`${a.url}/invocations`, body, headers);
      expect([r.status, r.body.message]).toEqual([status, expect.stringMatching(message)]);
      expect(r.body.error_code).toEqual(expect.any(String));
      await good();
    }
    const v2 = await post(`${a.url}/v2/models/penguins/infer`, { inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['Biscoe'] }] });
    expect([v2.status, v2.body]).toEqual([400, { error: expect.stringMatching(/row 1: missing field 'Beak Length \(mm\)'/) }]);
    const unknown = await post(`${a.url}/v2/models/nope/infer`, { inputs: [] });
    expect([unknown.status, unknown.body]).toEqual([404, { error: expect.stringMatching(/no model named 'nope'.*served: penguins/) }]);
  }, 60_000);
});

describe('mlcycle serve: V2 metadata, /metrics, /docs', () => {
  it('answers the V2 health, readiness and metadata routes from the bundle', async () => {
    expect(await (await fetch(`${a.url}/v2/health/live`)).json()).toEqual({ live: true });
    expect(await (await fetch(`${a.url}/v2/health/ready`)).json()).toEqual({ ready: true });
    expect(await (await fetch(`${a.url}/v2/models/penguins/ready`)).json()).toEqual({ name: 'penguins', ready: true });
    const meta = await (await fetch(`${a.url}/v2/models/penguins`)).json() as any;
    expect(meta).toMatchObject({ name: 'penguins', versions: ['1'], platform: 'mlcycle' });
    expect(meta.inputs).toEqual([
      { name: 'Island', datatype: 'BYTES', shape: [-1] }, { name: 'Beak Length (mm)', datatype: 'FP64', shape: [-1] },
      { name: 'Beak Depth (mm)', datatype: 'FP64', shape: [-1] }, { name: 'Flipper Length (mm)', datatype: 'INT64', shape: [-1] },
      { name: 'Body Mass (g)', datatype: 'INT64', shape: [-1] }, { name: 'Sex', datatype: 'BYTES', shape: [-1] },
    ]);
    expect(meta.outputs[0]).toEqual({ name: 'predicted', datatype: 'BYTES', shape: [-1] });
  });

  it('counts requests, errors, predictions per class and rows, and shows the model version', async () => {
    const before = await (await fetch(`${a.url}/metrics`)).text();
    await post(`${a.url}/invocations`, { instances: rows });
    await post(`${a.url}/invocations`, { instances: [{ ...rows[0], Sex: 7 }] });
    const text = await (await fetch(`${a.url}/metrics`)).text();
    const ok = { route: '/invocations', status: '200', model: 'penguins' };
    expect(metric(text, 'mlcycle_requests_total', ok) - metric(before, 'mlcycle_requests_total', ok)).toBe(1);
    const bad = { route: '/invocations', status: '400', model: 'penguins' };
    expect(metric(text, 'mlcycle_request_errors_total', bad) - metric(before, 'mlcycle_request_errors_total', bad)).toBe(1);
    for (const c of CLASSES) {
      const grew = metric(text, 'mlcycle_predictions_total', { class: c }) - metric(before, 'mlcycle_predictions_total', { class: c });
      expect(grew).toBe(expected.predictions.filter((p) => p === c).length);
    }
    expect(metric(text, 'mlcycle_rows_predicted_total') - metric(before, 'mlcycle_rows_predicted_total')).toBe(rows.length);
    expect(metric(text, 'mlcycle_model_version', { name: 'penguins', version: '1', uri: 'models:/penguins/1' })).toBe(1);
    expect(metric(text, 'mlcycle_request_duration_seconds_count', { route: '/invocations' })).toBeGreaterThan(0);
    expect(text).toContain('mlcycle_request_duration_seconds_bucket{le="0.002"');
  });

  it('serves an OpenAPI document generated from the bundle features at /docs and /docs/openapi.json', async () => {
    const doc = await (await fetch(`${a.url}/docs`)).json() as any;
    expect(await (await fetch(`${a.url}/docs/openapi.json`)).json()).toEqual(doc);
    expect(doc.openapi).toBe('3.1.0');
    const row = doc.components.schemas.Row_penguins;
    expect(row.required).toEqual(FEATURES);
    expect(row.additionalProperties).toBe(false);
    expect(row.properties.Island.enum).toEqual(['Biscoe', 'Dream', 'Torgersen', null]);
    expect(row.properties['Flipper Length (mm)'].type).toEqual(['integer', 'null']);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/invocations', '/v2/models/{name}/infer', '/v2/health/ready']));
    expect(Object.keys(doc.paths['/invocations'].post.requestBody.content)).toEqual(['application/json', 'text/csv']);
  });
});

describe('mlcycle serve: several models, and the bound on queued predictions', () => {
  let b: Served;
  beforeAll(async () => {
    b = await serve(['models:/penguins/1', 'models:/other/1', '--max-queue', '1', '--no-log']);
  }, 60_000);

  it('needs ?model= on /invocations when serving several, listing the names', async () => {
    const missing = await post(`${b.url}/invocations`, { instances: rows });
    expect([missing.status, missing.body.message]).toEqual([400, expect.stringMatching(/several models \(penguins, other\).*\?model=<name>/)]);
    const other = await post(`${b.url}/invocations?model=other`, { instances: rows });
    expect([other.status, other.headers.get('x-mlcycle-model'), other.body.predictions]).toEqual([200, 'other/1', expected.predictions]);
    expect((await post(`${b.url}/v2/models/other/infer`, { inputs: FEATURES.map((f) => ({ name: f, shape: [1], datatype: 'BYTES', data: [rows[0]![f]] })) })).status).toBe(200);
  });

  it('answers 503 with Retry-After past --max-queue instead of queueing, and keeps serving', async () => {
    const big = { instances: Array.from({ length: 3000 }, (_, i) => rows[i % rows.length]) };
    const statuses: number[] = [];
    for (let burst = 0; burst < 5 && !statuses.includes(503); burst++) {
      const answers = await Promise.all(Array.from({ length: 24 }, () => post(`${b.url}/invocations?model=penguins`, big)));
      for (const r of answers) {
        statuses.push(r.status);
        if (r.status === 503) expect([r.headers.get('retry-after'), r.body.error_code]).toEqual(['1', 'TEMPORARILY_UNAVAILABLE']);
      }
    }
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const ok = await post(`${b.url}/invocations?model=penguins`, { instances: rows });
    expect(ok.status).toBe(200);
  }, 120_000);
});

describe('mlcycle serve: alias hot swap under load', () => {
  it('switches models:/penguins@champion from v1 to v2 with zero failed requests', async () => {
    const c = await serve(['models:/penguins@champion', '--watch-ms', '100', '--no-log']);
    const seen: string[][] = [[], [], []];
    const statuses = new Set<number>();
    let stop = false;
    let after = 0;
    const worker = async (k: number) => {
      while (!stop) {
        const r = await post(`${c.url}/invocations`, { instances: rows.slice(0, 3) });
        statuses.add(r.status);
        seen[k]!.push(r.headers.get('x-mlcycle-model') ?? String(r.status));
        if (seen[k]!.at(-1) === 'penguins/2' && ++after > 60) stop = true;
      }
    };
    const load = Promise.all([0, 1, 2].map(worker));
    while (seen[0]!.length < 5) await new Promise((r) => setTimeout(r, 20));
    const moved = await cli(['models', 'alias', 'penguins', 'champion', '2', '--why', 'swap test']);
    expect(moved.code).toBe(0);
    await load;
    expect([...statuses]).toEqual([200]);
    for (const versions of seen) {
      expect(versions[0]).toBe('penguins/1');
      expect(versions.at(-1)).toBe('penguins/2');
      // Once a worker sees v2 it never sees v1 again: the switch is one step, 1 → 2.
      expect(versions.slice(versions.indexOf('penguins/2'))).not.toContain('penguins/1');
    }
    expect(c.stderr()).toContain('switched penguins@champion v1 → v2');
    c.child.kill('SIGTERM');
    expect((await c.child.result).code).toBe(0);
  }, 120_000);
});

describe('mlcycle serve: SIGTERM drains, the prediction log, the token', () => {
  it('finishes requests in flight when SIGTERM arrives, flushes the log, exits 0', async () => {
    const body = JSON.stringify({ instances: rows });
    const finish: Array<() => void> = [];
    const answers = Array.from({ length: 3 }, () => new Promise<{ status: number; text: string }>((resolvePromise, reject) => {
      const req = httpRequest(`${a.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolvePromise({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      finish.push(() => req.end(body.slice(20)));
    }));
    // In flight: the server has their headers (counted) but not yet their bodies.
    for (;;) {
      const text = await (await fetch(`${a.url}/metrics`)).text();
      if (metric(text, 'mlcycle_requests_in_flight') === 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    a.child.kill('SIGTERM');
    while (!a.stderr().includes('SIGTERM: draining')) await new Promise((r) => setTimeout(r, 20));
    for (const end of finish) end();
    const done = await Promise.all(answers);
    expect(done.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(JSON.parse(done[0]!.text).predictions).toEqual(expected.predictions);
    const exit = await a.child.result;
    expect(exit.code).toBe(0);
    const files = readdirSync(logDir());
    expect(files.every((f) => /^predictions-\d{8}T\d{6}Z-\d+\.ndjson$/.test(f))).toBe(true);
    const lines = files.flatMap((f) => readFileSync(join(logDir(), f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l));
    // --log-sample 1: every predicted row, the three drained requests' last.
    expect(lines.slice(-rows.length)).toEqual(rows.map((row, i) => ({ ts: expect.any(String), model: 'penguins', version: 1, row, prediction: expected.predictions[i] })));
    expect(lines.every((l) => !Object.hasOwn(l.row, 'Species'))).toBe(true);
  }, 60_000);

  it('refuses a host off loopback without MLCYCLE_SERVE_TOKEN; with it, demands the bearer token', async () => {
    const refused = await cli(['serve', 'models:/penguins/1', '--host', '0.0.0.0', '--port', '0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not loopback.*MLCYCLE_SERVE_TOKEN/);
    const d = await serve(['models:/penguins/1', '--host', '0.0.0.0', '--no-log'], { MLCYCLE_SERVE_TOKEN: 's3cret-token' });
    const url = d.url.replace(/\/\/[^:]+:/, '//127.0.0.1:');
    for (const auth of [undefined, 'Bearer wrong', 'Bearer s3cret-token-but-longer', 's3cret-token']) {
      const r = await post(`${url}/invocations`, { instances: rows }, auth ? { authorization: auth } : {});
      expect([r.status, r.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="mlcycle"']);
    }
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
    const ok = await post(`${url}/invocations`, { instances: rows }, { authorization: 'Bearer s3cret-token' });
    expect([ok.status, ok.body.predictions]).toEqual([200, expected.predictions]);
    d.child.kill('SIGTERM');
    expect((await d.child.result).code).toBe(0);
  }, 60_000);
  it('a port already in use exits 2 naming it and the flag to change', async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = await cli(['serve', 'models:/penguins/1', '--port', String(port), '--no-log']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).toMatch(/--port 0 for a free one/);
    } finally {
      taken.close();
    }
  }, 60_000);
});
