/**
 * The serving module's request path without a server: body forms → rows (request-rows.ts), the row
 * schema compiled from a manifest's input contract (row-schema.ts), and the prediction log's rotation
 * and bound (prediction-log.ts), on real files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataError } from '../../core/index.ts';
import type { BundleManifest } from '../../plugins/exporters/bundle-io.ts';
import { PredictionLog } from '../../plugins/serving/prediction-log.ts';
import { csvRows, invocationRows, v2Rows } from '../../plugins/serving/request-rows.ts';
import { rowSchema } from '../../plugins/serving/row-schema.ts';

const manifest = {
  name: 'toy',
  problem: { target: 'y', task: 'binary', metric: 'accuracy' },
  features: [],
  inputContract: {
    version: 1,
    features: [
      { name: 'a', type: 'number', missingAllowed: false, min: 0, max: 1 },
      { name: 'n', type: 'integer', missingAllowed: true },
      { name: 'c', type: 'string', missingAllowed: false, categories: ['x', 'y'] },
    ],
  },
} as unknown as BundleManifest;

describe('request rows', () => {
  it('reads every MLflow form and V2 tensors into the same null-prototype rows', () => {
    const want = [{ a: 0.5, n: 3, c: 'x' }, { a: 1, n: null, c: 'y' }];
    const forms = [
      invocationRows({ dataframe_split: { columns: ['a', 'n', 'c'], data: [[0.5, 3, 'x'], [1, null, 'y']] } }),
      invocationRows({ dataframe_records: want }),
      invocationRows({ instances: want }),
      invocationRows({ inputs: { a: [0.5, 1], n: [3, null], c: ['x', 'y'] } }),
      invocationRows({ inputs: want, params: {} }),
      v2Rows({ id: '1', inputs: [{ name: 'a', data: [[0.5], [1]] }, { name: 'n', data: [3, null] }, { name: 'c', data: ['x', 'y'] }] }).rows,
      csvRows('a,n,c\n0.5,3,x\n1,,y\n'),
    ];
    for (const rows of forms) {
      expect(rows.map((r) => ({ ...(r as object) }))).toEqual(want);
      expect(Object.getPrototypeOf(rows[0])).toBeNull();
    }
  });

  it('refuses bad shapes with a DataError saying what is wrong', () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => invocationRows([1]), /must be a JSON object/],
      [() => invocationRows({ instances: [], inputs: [] }), /exactly one of/],
      [() => invocationRows({ dataframe_split: { columns: ['a'], data: [[1, 2]] } }), /row 1: .* arrays of 1 value/],
      [() => invocationRows({ dataframe_split: { columns: ['a', 'a'], data: [] } }), /names a column twice/],
      [() => invocationRows({ inputs: { a: [1, 2], b: [1] } }), /same number of values/],
      [() => v2Rows({ inputs: [{ name: 'a' }] }), /inputs\[0\] must be an object/],
      [() => csvRows('a,b\n1\n'), /CSV body:2: line 2 has 1 field/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(DataError);
      expect(call).toThrow(message);
    }
  });
});

describe('row schema', () => {
  const schema = rowSchema(manifest);
  const check = (row: unknown) => () => schema.check([{ a: 0.5, n: 1, c: 'x' }, row]);

  it('passes good rows through as the features only', () => {
    expect(schema.check([{ a: 0, n: null, c: 'y' }]).map((r) => ({ ...r }))).toEqual([{ a: 0, n: null, c: 'y' }]);
    expect(rowSchema(manifest, { allowExtraFields: true }).check([{ a: 0, n: 2, c: 'y', z: 1 }]).map((r) => ({ ...r }))).toEqual([{ a: 0, n: 2, c: 'y' }]);
  });

  it('names the row, the field and what it got', () => {
    expect(check({ a: 'abc', n: 1, c: 'x' })).toThrow(`row 2: 'a' must be a number, got "abc"`);
    expect(check({ a: null, n: 1, c: 'x' })).toThrow(`row 2: 'a' must be a number, got null`);
    expect(check({ a: 0.5, n: 1.5, c: 'x' })).toThrow(`row 2: 'n' must be an integer or null, got 1.5`);
    expect(check({ a: 0.5, n: 1, c: 'q' })).toThrow(`row 2: 'c' must be one of x, y (the categories seen in training), got "q"`);
    expect(check({ a: 0.5, n: 1 })).toThrow(`row 2: missing field 'c'`);
    expect(check({ a: 0.5, n: 1, c: 'x', y: 1, extra: 2 })).toThrow(`row 2: unknown field(s) 'y', 'extra'`);
    expect(check('row')).toThrow(`row 2: must be an object of feature values, got "row"`);
  });
});

describe('prediction log', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mlcycle-predlog-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes sampled lines, rotates past fileBytes and keeps the folder under maxBytes, oldest deleted first', async () => {
    const log = new PredictionLog({ dir, sample: 1, fileBytes: 2000, maxBytes: 6000, flushMs: 10_000 });
    const row = { a: 0.5, n: 1, c: 'x' };
    for (let i = 0; i < 60; i++) {
      log.record('toy', 2, [row], [`p${i}`]);
      await log.flush();
    }
    await log.close();
    const files = (await readdir(dir)).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files.every((f) => /^predictions-\d{8}T\d{6}Z-\d+\.ndjson$/.test(f))).toBe(true);
    const sizes = await Promise.all(files.map(async (f) => (await stat(path.join(dir, f))).size));
    expect(sizes.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(6000);
    const lines = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('').trim().split('\n').map((l) => JSON.parse(l));
    // The newest lines survive, in order, ending with the last one recorded.
    expect(lines.at(-1)).toEqual({ ts: expect.any(String), model: 'toy', version: 2, row, prediction: 'p59' });
    expect(lines.map((l) => Number(l.prediction.slice(1)))).toEqual(lines.map((_, i) => 60 - lines.length + i));
  });

  it('logs the sampled share only', async () => {
    const sub = path.join(dir, 'sampled');
    let k = 0;
    const log = new PredictionLog({ dir: sub, sample: 0.25, random: () => (k++ % 4) / 4 });
    log.record('toy', null, Array.from({ length: 100 }, () => ({ a: 1 })), Array.from({ length: 100 }, () => 'x'));
    await log.close();
    const [file] = await readdir(sub);
    expect((await readFile(path.join(sub, file!), 'utf8')).trim().split('\n')).toHaveLength(25);
  });
});
