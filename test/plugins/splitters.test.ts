import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { NonRetryableError, Table } from '../../core/index.ts';
import { Folds, type FoldsSpec, type ProblemSpec } from '../../plugins/kinds.ts';
import { kFold } from '../../plugins/splitters/k-fold.ts';
import { selectFold } from '../../plugins/splitters/select-fold.ts';
import { stratifiedKFold } from '../../plugins/splitters/stratified-k-fold.ts';
import { stratifiedTrainTest } from '../../plugins/splitters/stratified-train-test.ts';
import { timeSplit } from '../../plugins/splitters/time-split.ts';
import { trainTest } from '../../plugins/splitters/train-test.ts';
import { mulberry32 } from '../../plugins/random.ts';
import { runTask } from '../helpers/task-context.ts';

const read = (name: string) => JSON.parse(fs.readFileSync(`node_modules/vega-datasets/data/${name}`, 'utf8')) as Record<string, unknown>[];
const rows = read('penguins.json');
/** Penguins with each row's original index, so splits can be checked for coverage and overlap. */
const penguins = () => aq.from(rows.map((r, i) => ({ row: i, ...r })));
const problem: ProblemSpec = { target: 'Species', task: 'multiclass', metric: 'accuracy', classes: ['Adelie', 'Chinstrap', 'Gentoo'] };
const ids = (t: ColumnTable) => Array.from(t.array('row') as ArrayLike<number>);
const count = (xs: unknown[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [String(x)]: (m[String(x)] ?? 0) + 1 }), {});
const CLASS_SIZES = { Adelie: 152, Chinstrap: 68, Gentoo: 124 };

const ascending = (xs: ArrayLike<number>) => Array.prototype.every.call(xs, (x: number, i: number) => i === 0 || xs[i - 1] < x);
/** Equal int arrays, compared as bytes (jest's toEqual walks a 100k-element array slowly). */
const sameInts = (a: Int32Array, b: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Every row in exactly one test fold, and each fold's train is exactly the other rows. */
function expectPartition(folds: FoldsSpec, n: number): void {
  const tests = folds.folds.flatMap((f) => Array.from(f.test));
  expect(tests.length).toBe(n);
  expect(new Set(tests).size).toBe(n);
  for (const f of folds.folds) {
    expect(f.train.length + f.test.length).toBe(n);
    const test = new Set(f.test);
    expect(f.train.some((r) => test.has(r))).toBe(false);
    expect([ascending(f.test), ascending(f.train)]).toEqual([true, true]);
  }
}

describe('seeded randomness', () => {
  it('mulberry32 repeats for a seed and differs across seeds', () => {
    const a = mulberry32(0);
    const b = mulberry32(0);
    const c = mulberry32(1);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect([c(), c(), c()]).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('splitters/train-test and stratified-train-test', () => {
  it('holds out testFraction (rounded up), disjoint and complete, deterministic under a seed', async () => {
    const a = await runTask(trainTest, { table: Table.decode(Table.encode(penguins())) });
    expect([a.train.numRows(), a.test.numRows()]).toEqual([275, 69]);
    const all = [...ids(a.train), ...ids(a.test)].sort((x, y) => x - y);
    expect(all).toEqual(rows.map((_, i) => i));
    expect(ids(a.test)).toEqual([...ids(a.test)].sort((x, y) => x - y)); // table order kept
    const again = await runTask(trainTest, { table: penguins() }, { seed: 0 });
    expect(ids(again.test)).toEqual(ids(a.test));
    const other = await runTask(trainTest, { table: penguins() }, { seed: 1 });
    expect(ids(other.test)).not.toEqual(ids(a.test));
    await expect(runTask(trainTest, { table: penguins() }, { testFraction: 1 })).rejects.toThrow('params.testFraction must be < 1, got 1');
  });

  it('stratified holdout keeps class shares within one row', async () => {
    const { train, test } = await runTask(stratifiedTrainTest, { table: penguins(), problem }, { testFraction: 0.25, seed: 5 });
    expect(test.numRows()).toBe(86);
    const inTest = count(Array.from(test.array('Species') as ArrayLike<string>));
    for (const [label, size] of Object.entries(CLASS_SIZES)) expect(Math.abs(inTest[label] - size * 0.25)).toBeLessThanOrEqual(1);
    expect(new Set([...ids(train), ...ids(test)]).size).toBe(344);
    const again = await runTask(stratifiedTrainTest, { table: penguins(), problem }, { testFraction: 0.25, seed: 5 });
    expect(ids(again.test)).toEqual(ids(test));
    const other = await runTask(stratifiedTrainTest, { table: penguins(), problem }, { testFraction: 0.25, seed: 6 });
    expect(ids(other.test)).not.toEqual(ids(test));
    await expect(runTask(stratifiedTrainTest, { table: penguins(), problem: { ...problem, task: 'regression' } }))
      .rejects.toThrow(NonRetryableError);
  });
});

describe('splitters/time-split', () => {
  it('puts the latest rows in test, both splits in time order', async () => {
    const cars = aq.from(read('cars.json'));
    const { train, test } = await runTask(timeSplit, { table: cars }, { column: 'Year', testFraction: 0.1 });
    expect(train.numRows() + test.numRows()).toBe(cars.numRows());
    expect(test.numRows()).toBe(Math.ceil(cars.numRows() * 0.1));
    const trainYears = Array.from(train.array('Year') as ArrayLike<string>);
    const testYears = Array.from(test.array('Year') as ArrayLike<string>);
    expect(trainYears).toEqual([...trainYears].sort());
    expect(testYears.every((y) => y >= trainYears[trainYears.length - 1])).toBe(true);
    expect(testYears[testYears.length - 1]).toBe('1982-01-01');
  });

  it('refuses a column with missing values, naming it', async () => {
    await expect(runTask(timeSplit, { table: penguins() }, { column: 'Body Mass (g)' }))
      .rejects.toThrow("column 'Body Mass (g)' has 2 missing value(s)");
  });
});

describe('splitters/k-fold and stratified-k-fold', () => {
  it('k-fold partitions every row into exactly one test fold, sizes within one', async () => {
    const { folds } = await runTask(kFold, { table: penguins() });
    expectPartition(folds, 344);
    expect(folds.folds.map((f: any) => f.test.length)).toEqual([69, 69, 69, 69, 68]);
    const bytes = Buffer.from(Folds.encode(folds));
    expect(Buffer.from(Folds.encode((await runTask(kFold, { table: penguins() }, { seed: 0 })).folds))).toEqual(bytes);
    expect(Buffer.from(Folds.encode((await runTask(kFold, { table: penguins() }, { seed: 9 })).folds))).not.toEqual(bytes);
    const blocks = await runTask(kFold, { table: penguins() }, { k: 4, shuffle: false });
    expect(blocks.folds.folds[1].test).toEqual(Int32Array.from({ length: 86 }, (_, i) => 86 + i));
    await expect(runTask(kFold, { table: penguins().slice(0, 3) }, { k: 4 })).rejects.toThrow('params.k is 4 but the table has only 3 row(s)');
  });

  it('stratified k-fold partitions rows and keeps each class within ±1 row of its share', async () => {
    const { folds } = await runTask(stratifiedKFold, { table: penguins(), problem }, { k: 5, seed: 2 });
    expectPartition(folds, 344);
    const species = rows.map((r) => r.Species);
    for (const f of folds.folds) {
      const c = count(Array.from(f.test as Int32Array, (r) => species[r]));
      for (const [label, size] of Object.entries(CLASS_SIZES)) expect(Math.abs(c[label] - size / 5)).toBeLessThan(1);
    }
    const again = await runTask(stratifiedKFold, { table: penguins(), problem }, { k: 5, seed: 2 });
    expect(again.folds).toEqual(folds);
    const other = await runTask(stratifiedKFold, { table: penguins(), problem }, { k: 5, seed: 3 });
    expect(other.folds).not.toEqual(folds);
  });

  it('stratified k-fold names the class that is too small for k', async () => {
    const few = penguins().filter((d: any) => d.Species !== 'Chinstrap' || d.row < 155);
    await expect(runTask(stratifiedKFold, { table: few, problem }, { k: 5 }))
      .rejects.toThrow("class 'Chinstrap' of 'Species' has 3 row(s), fewer than k = 5");
  });
});

describe('splitters/select-fold', () => {
  it('returns the fold as train and test tables', async () => {
    const table = penguins();
    const { folds } = await runTask(stratifiedKFold, { table, problem }, { k: 4 });
    const { train, test } = await runTask(selectFold, { table, folds }, { fold: 3 });
    expect(ids(test)).toEqual(Array.from(folds.folds[3].test));
    expect(ids(train)).toEqual(Array.from(folds.folds[3].train));
    await expect(runTask(selectFold, { table, folds }, { fold: 4 })).rejects.toThrow('params.fold is 4 but there are 4 folds (0..3)');
    await expect(runTask(selectFold, { table: table.slice(0, 100), folds }, { fold: 0 })).rejects.toThrow(/folds were made for 344 rows/);
  });

  it('addresses visible rows of a filtered table, not the rows underneath', async () => {
    const even = penguins().filter((d: any) => d.row % 2 === 0);
    const { folds } = await runTask(kFold, { table: even }, { k: 3 });
    const { test } = await runTask(selectFold, { table: even, folds }, { fold: 1 });
    expect(ids(test)).toEqual(Array.from(folds.folds[1].test as Int32Array, (i) => 2 * i));
  });
});

describe('the Folds artifact', () => {
  it('stores 100k rows of folds as about 4 bytes an index, not decimal text, and round-trips them', async () => {
    const n = 100_000;
    const table = aq.table({ x: Float64Array.from({ length: n }, (_, i) => i) });
    const { folds } = await runTask(kFold, { table }, { k: 5, seed: 3 });
    expectPartition(folds, n);
    const bytes = Folds.encode(folds);
    // 5 folds × (train + test) = 5n indices of 4 bytes, plus a header of a few hundred bytes.
    expect(bytes.byteLength).toBeGreaterThanOrEqual(4 * 5 * n);
    expect(bytes.byteLength).toBeLessThan(4 * 5 * n + 1024);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('MLCF1');
    const back = Folds.decode(bytes);
    expect(back.rows).toBe(n);
    expect(back.folds).toHaveLength(5);
    for (const [i, f] of back.folds.entries()) {
      expect(f.train).toBeInstanceOf(Int32Array);
      expect(f.test).toBeInstanceOf(Int32Array);
      expect([f.train.length, f.test.length]).toEqual([folds.folds[i].train.length, folds.folds[i].test.length]);
      expect(sameInts(f.train, folds.folds[i].train) && sameInts(f.test, folds.folds[i].test)).toBe(true);
    }
    // Same seed, same bytes: the cache relies on it.
    const again = await runTask(kFold, { table }, { k: 5, seed: 3 });
    expect(Buffer.from(Folds.encode(again.folds)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('still decodes the JSON form of older versions (a cached blob from before)', () => {
    const legacy = Buffer.from('{"folds":[{"test":[0,3],"train":[1,2,4,5]},{"test":[1,4],"train":[0,2,3,5]}],"rows":6}');
    const folds = Folds.decode(new Uint8Array(legacy));
    expect(folds).toEqual({ rows: 6, folds: [{ test: Int32Array.of(0, 3), train: Int32Array.of(1, 2, 4, 5) }, { test: Int32Array.of(1, 4), train: Int32Array.of(0, 2, 3, 5) }] });
    // …and re-encodes it in the binary form, readable by select-fold as before.
    expect(Folds.decode(Folds.encode(folds))).toEqual(folds);
    expect(() => Folds.decode(new Uint8Array(Buffer.from('{"rows":6,"folds":[{"test":[0,9],"train":[1]}]}')))).toThrow('index 9 at position 1 is not a row of a 6-row table');
    expect(() => Folds.decode(new Uint8Array(Buffer.from('[1,2]')))).toThrow(NonRetryableError);
  });

  it('refuses indices that are not rows of the table instead of storing them wrapped', () => {
    const spec = (test: number[]) => ({ rows: 4, folds: [{ train: Int32Array.of(0), test: test as unknown as Int32Array }] });
    expect(() => Folds.encode(spec([1, 2.5]))).toThrow('index 2.5 at position 1 is not a row of a 4-row table');
    expect(() => Folds.encode(spec([2 ** 32 + 1]))).toThrow(NonRetryableError);
    expect(() => Folds.encode(spec([-1]))).toThrow(NonRetryableError);
    expect(Folds.decode(Folds.encode(spec([1, 3]))).folds[0].test).toEqual(Int32Array.of(1, 3));
  });
});
