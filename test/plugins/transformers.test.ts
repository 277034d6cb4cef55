import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { NonRetryableError, Table } from '../../core/index.ts';
import { Transform, type ProblemSpec, type TransformSpec } from '../../plugins/kinds.ts';
import { imputeMissing } from '../../plugins/cleaners/impute-missing.ts';
import { apply } from '../../plugins/transformers/apply.ts';
import { autoPreprocess } from '../../plugins/transformers/auto-preprocess.ts';
import { minMaxScale } from '../../plugins/transformers/min-max-scale.ts';
import { oneHotEncode } from '../../plugins/transformers/one-hot-encode.ts';
import { ordinalEncode } from '../../plugins/transformers/ordinal-encode.ts';
import { standardize } from '../../plugins/transformers/standardize.ts';
import { applyTransform } from '../../plugins/transformers/steps.ts';
import { trainTest } from '../../plugins/splitters/train-test.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

const rows = JSON.parse(fs.readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8')) as Record<string, unknown>[];
const penguins = () => aq.from(rows);
const problem: ProblemSpec = { target: 'Species', task: 'multiclass', metric: 'accuracy', classes: ['Adelie', 'Chinstrap', 'Gentoo'] };
const BEAK = 'Beak Length (mm)';
const MASS = 'Body Mass (g)';
const FLIPPER = 'Flipper Length (mm)';
const NUMERIC = [BEAK, 'Beak Depth (mm)', FLIPPER, MASS];

/** The table after an Arrow round trip, as a downstream task receives it from the store. */
const stored = (t: ColumnTable) => Table.decode(Table.encode(t));
const bytes = (spec: TransformSpec) => Buffer.from(Transform.encode(spec)).toString('hex');
const col = (t: ColumnTable, name: string) => Array.from(t.array(name) as ArrayLike<unknown>);
/** Test rows with every numeric feature multiplied by 1000: a drastic change that must not leak into the fit. */
const times1000 = (t: ColumnTable) => aq.from(t.objects().map((r: any) => {
  const o = { ...r };
  for (const c of NUMERIC) if (o[c] !== null) o[c] = o[c] * 1000;
  return o;
}));

async function fit(task: any, train: ColumnTable, params: Record<string, unknown> = {}): Promise<TransformSpec> {
  return (await runTask(task, { train, problem }, params)).transform;
}
async function applied(table: ColumnTable, transform: TransformSpec): Promise<ColumnTable> {
  return (await runTask(apply, { table: stored(table), transform: Transform.decode(Transform.encode(transform)) })).table;
}

describe('leakage: fitted on train, applied unchanged', () => {
  // Train = penguins rows 0, 1, 2, 4 (row 3 is all missing); test = rows 5..9.
  const train = penguins().reify([0, 1, 2, 4]);
  const test = penguins().reify([5, 6, 7, 8, 9]);

  it('standardize uses train mean/std on test rows, whatever the test values', async () => {
    const transform = await fit(standardize, train);
    const before = bytes(transform);
    const trainOut = await applied(train, transform);
    const drastic = times1000(test);
    const testOut = await applied(drastic, transform);
    // Beak length on train: 39.1, 39.5, 40.3, 36.7 → mean 38.9; squared deviations .04+.36+1.96+4.84 = 7.2 → std √1.8.
    const beak = (transform.steps[0].columns as any[]).find((c) => c.column === BEAK);
    expect(beak.mean).toBeCloseTo(38.9, 12);
    expect(beak.std).toBeCloseTo(Math.sqrt(1.8), 12);
    const testBeak = col(drastic, BEAK) as number[];
    expect(testBeak[0]).toBeCloseTo(39300, 6);
    expect(col(testOut, BEAK)[0]).toBeCloseTo((39300 - 38.9) / Math.sqrt(1.8), 9);
    expect(col(testOut, BEAK)).toEqual(testBeak.map((x) => (x === null ? null : expect.closeTo((x - 38.9) / Math.sqrt(1.8), 9))));
    expect(col(trainOut, BEAK)).toEqual([0.2, 0.6, 1.4, -2.2].map((d) => expect.closeTo(d / Math.sqrt(1.8), 12)));
    // The Transform is byte-identical after use, and re-fitting on train alone gives the same bytes.
    expect(bytes(transform)).toBe(before);
    expect(bytes(await fit(standardize, train))).toBe(before);
    expect(Table.encode(await applied(train, transform))).toEqual(Table.encode(trainOut));
  });

  it('impute fills test gaps with the train median/mean', async () => {
    const transform = await fit(imputeMissing, train, { method: 'median' });
    const before = bytes(transform);
    // A test table with missing cells and huge present values.
    const drastic = times1000(penguins().reify([3, 5, 6]));
    const out = await applied(drastic, transform);
    // Body mass on train: 3750, 3800, 3250, 3450 → median (3450 + 3750) / 2 = 3600.
    expect(col(out, MASS)).toEqual([3600, 3650000, 3625000]);
    // Flipper on train: 181, 186, 195, 193 → median (186 + 193) / 2 = 189.5.
    expect(col(out, FLIPPER)[0]).toBe(189.5);
    // Sex on train: MALE, FEMALE, FEMALE, FEMALE → FEMALE.
    expect(col(out, 'Sex')[0]).toBe('FEMALE');
    expect(bytes(transform)).toBe(before);
    const mean = await fit(imputeMissing, train, { method: 'mean' });
    expect(col(await applied(drastic, mean), MASS)[0]).toBe((3750 + 3800 + 3250 + 3450) / 4);
  });

  it('auto-preprocess: train statistics after imputation, byte-identical transform', async () => {
    const train5 = penguins().reify([0, 1, 2, 3, 4]); // row 3 has every measurement missing
    const transform = await fit(autoPreprocess, train5);
    const before = bytes(transform);
    const trainOut = await applied(train5, transform);
    const testOut = await applied(times1000(penguins().reify([3, 5])), transform); // flipper: missing, 190 × 1000
    // Flipper: 181, 186, 195, (missing → median 189.5), 193 → mean 944.5 / 5 = 188.9;
    // deviations −7.9, −2.9, 6.1, 0.6, 4.1 → squares sum 125.2 → std √25.04.
    const sd = Math.sqrt(25.04);
    expect(col(testOut, FLIPPER)).toEqual([expect.closeTo((189.5 - 188.9) / sd, 12), expect.closeTo((190000 - 188.9) / sd, 9)]);
    expect(col(trainOut, FLIPPER)).toEqual([-7.9, -2.9, 6.1, 0.6, 4.1].map((d) => expect.closeTo(d / sd, 12)));
    expect(bytes(transform)).toBe(before);
    expect(bytes(await fit(autoPreprocess, train5))).toBe(before);
    expect(Table.encode(await applied(train5, transform))).toEqual(Table.encode(trainOut));
  });

  it('on a real split, changing the test split changes neither the transform nor the train features', async () => {
    const { train: tr, test: te } = await runTask(trainTest, { table: penguins() }, { seed: 3 });
    const transform = await fit(autoPreprocess, tr);
    const trainBytes = Table.encode(await applied(tr, transform));
    await applied(times1000(te), transform);
    expect(bytes(await fit(autoPreprocess, tr))).toBe(bytes(transform));
    expect(Table.encode(await applied(tr, transform))).toEqual(trainBytes);
  });
});

describe('transformers/standardize and min-max-scale', () => {
  it('standardize gives mean 0 and std 1 on train; never touches the target', async () => {
    const transform = await fit(standardize, penguins());
    expect((transform.steps[0].columns as any[]).map((c) => c.column)).toEqual(NUMERIC);
    const out = applyTransform(penguins(), transform);
    for (const c of NUMERIC) {
      const xs = col(out, c).filter((v) => v !== null) as number[];
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean).toBeCloseTo(0, 10);
      expect(Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)).toBeCloseTo(1, 10);
      expect(col(out, c).filter((v) => v === null)).toHaveLength(2); // missing stays missing
    }
    expect(col(out, 'Species')).toEqual(col(penguins(), 'Species'));
  });

  it('min-max maps train to [0, 1] and a constant column to 0', async () => {
    const t = penguins().derive({ constant: () => 7 });
    const transform = await fit(minMaxScale, t);
    const out = applyTransform(t, transform);
    const mass = col(out, MASS).filter((v) => v !== null) as number[];
    expect(Math.min(...mass)).toBe(0);
    expect(Math.max(...mass)).toBe(1);
    expect(new Set(col(out, 'constant'))).toEqual(new Set([0]));
    // 2700 g and 6300 g are the train extremes: 4500 g is halfway.
    const one = aq.from([{ ...rows[0], [MASS]: 4500, constant: 9 }]);
    expect(col(applyTransform(one, transform), MASS)).toEqual([0.5]);
  });

  it('standardize stays finite on finite values whose sums or squares overflow (1e200 × penguins)', async () => {
    // Squares of 1e200 overflow to Infinity: a naive std would scale every value to 0 or NaN.
    const huge = penguins().derive({ [MASS]: aq.escape((d: Record<string, number | null>) => (d[MASS] === null ? null : d[MASS]! * 1e200)) });
    const transform = await fit(standardize, huge, { columns: [MASS] });
    const fitted = (transform.steps[0].columns as Array<{ mean: number; std: number }>)[0]!;
    expect(Number.isFinite(fitted.mean) && Number.isFinite(fitted.std)).toBe(true);
    const plain = await fit(standardize, penguins(), { columns: [MASS] });
    const expected = col(applyTransform(penguins(), plain), MASS) as Array<number | null>;
    const scaled = col(applyTransform(huge, transform), MASS) as Array<number | null>;
    scaled.forEach((v, i) => (v === null ? expect(expected[i]).toBeNull() : expect(v).toBeCloseTo(expected[i]!, 9)));
  });

  it('rejects the target, unknown and non-numeric columns with how to fix', async () => {
    await expect(fit(standardize, penguins(), { columns: ['Species'] })).rejects.toThrow(/target.*Remove it from columns/);
    await expect(fit(standardize, penguins(), { columns: ['Island'] })).rejects.toThrow(NonRetryableError);
    await expect(fit(standardize, penguins(), { columns: ['Weight'] })).rejects.toThrow(/no column 'Weight'; the table has 'Species'/);
  });
});

describe('transformers/one-hot-encode and ordinal-encode', () => {
  it('one-hot: indicator columns in place; unseen and missing categories give all-zero rows', async () => {
    const transform = await fit(oneHotEncode, penguins());
    expect(transform.steps[0].columns).toEqual([
      { column: 'Island', categories: ['Biscoe', 'Dream', 'Torgersen'], outputs: ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen'] },
      { column: 'Sex', categories: ['.', 'FEMALE', 'MALE'], outputs: ['Sex=.', 'Sex=FEMALE', 'Sex=MALE'] },
    ]);
    const future = aq.from([
      { ...rows[0], Island: 'Atlantis', Sex: null },
      { ...rows[0], Island: 'Dream', Sex: 'MALE' },
    ]);
    const out = await applied(future, transform);
    expect(out.columnNames()).toEqual([
      'Species', 'Island=Biscoe', 'Island=Dream', 'Island=Torgersen', ...NUMERIC,
      'Sex=.', 'Sex=FEMALE', 'Sex=MALE',
    ]);
    expect(out.objects()[0]).toMatchObject({ 'Island=Biscoe': 0, 'Island=Dream': 0, 'Island=Torgersen': 0, 'Sex=FEMALE': 0, 'Sex=MALE': 0 });
    expect(out.objects()[1]).toMatchObject({ 'Island=Biscoe': 0, 'Island=Dream': 1, 'Island=Torgersen': 0, 'Sex=FEMALE': 0, 'Sex=MALE': 1 });
  });

  it('ordinal: sorted category index; unseen → -1', async () => {
    const transform = await fit(ordinalEncode, penguins(), { columns: ['Island'] });
    const future = aq.from(['Torgersen', 'Biscoe', 'Atlantis', 'Dream', null].map((Island) => ({ ...rows[0], Island })));
    expect(col(await applied(future, transform), 'Island')).toEqual([2, 0, -1, 1, -1]);
  });
});

describe('transformers/auto-preprocess', () => {
  const features = (t: ColumnTable) => t.columnNames().filter((c) => c !== 'Species');

  it('makes every feature numeric with no nulls, keeps the target, drops ids and empty columns', async () => {
    // Added: an identifier, near-identifier text (a tag shared by pairs of rows), an all-missing
    // column, and a boolean feature with gaps.
    const t = aq.from(rows.map((r, i) => ({
      ...r, name: `penguin-${i}`, tag: `tag-${Math.floor(i / 2)}`, notes: null, heavy: r[MASS] === null ? null : (r[MASS] as number) > 4000,
    })));
    const ctx = makeContext();
    const { transform } = await runTask(autoPreprocess, { train: stored(t), problem }, {}, ctx);
    expect(transform.steps.map((s: any) => s.type)).toEqual(['drop', 'impute', 'onehot', 'standardize']);
    expect(transform.steps[0].columns).toEqual(['name', 'tag', 'notes']);
    expect(ctx.logs.join('\n')).toMatch(/dropping column 'name': identifier/);
    expect(ctx.logs.join('\n')).toMatch(/dropping column 'tag': high-cardinality text \(172 distinct values in 344 rows/);
    const out = await applied(t, transform);
    expect(out.numRows()).toBe(344);
    expect(features(out)).toEqual(expect.arrayContaining(['Island=Dream', 'heavy=false', 'heavy=true']));
    for (const c of features(out)) expect(col(out, c).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(col(out, 'Species')).toEqual(col(t, 'Species'));
    // Future data without the id or the target still transforms.
    const future = aq.from([{ Island: 'Atlantis', [BEAK]: null, 'Beak Depth (mm)': 18, [FLIPPER]: 200, [MASS]: 4000, Sex: null, heavy: null }]);
    const predicted = applyTransform(future, transform);
    for (const c of predicted.columnNames()) expect(typeof col(predicted, c)[0]).toBe('number');
  });

  it('honours impute, scale, encode and drop', async () => {
    const transform = await fit(autoPreprocess, penguins(), { impute: 'mean', scale: 'minmax', encode: 'ordinal', drop: ['Island'] });
    expect(transform.steps.map((s: any) => s.type)).toEqual(['drop', 'impute', 'ordinal', 'minmax']);
    const out = applyTransform(penguins(), transform);
    expect(out.columnNames()).toEqual(['Species', ...NUMERIC, 'Sex']);
    expect(new Set(col(out, 'Sex'))).toEqual(new Set([0, 1, 2]));
    await expect(fit(autoPreprocess, penguins(), { drop: ['Species'] })).rejects.toThrow(/target 'Species'/);
  });

  it('applying to a table without a fitted column names it', async () => {
    const transform = await fit(autoPreprocess, penguins());
    expect(() => applyTransform(penguins().select('Species', 'Island'), transform)).toThrow(/no column 'Beak Length \(mm\)'/);
    expect(() => applyTransform(penguins(), { steps: [{ type: 'pca' }] })).toThrow(/unknown step type 'pca'/);
  });
});
