import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { NonRetryableError, Table } from '../../core/index.ts';
import type { ProblemSpec, TransformSpec } from '../../plugins/kinds.ts';
import { castTypes } from '../../plugins/cleaners/cast-types.ts';
import { clipOutliers } from '../../plugins/cleaners/clip-outliers.ts';
import { dropColumns } from '../../plugins/cleaners/drop-columns.ts';
import { dropDuplicates } from '../../plugins/cleaners/drop-duplicates.ts';
import { dropMissingTarget } from '../../plugins/cleaners/drop-missing-target.ts';
import { dropMissing } from '../../plugins/cleaners/drop-missing.ts';
import { imputeMissing } from '../../plugins/cleaners/impute-missing.ts';
import { applyTransform } from '../../plugins/transformers/steps.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

const rows = JSON.parse(fs.readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8')) as Record<string, unknown>[];
const penguins = () => aq.from(rows);
const problem: ProblemSpec = { target: 'Species', task: 'multiclass', metric: 'accuracy', classes: ['Adelie', 'Chinstrap', 'Gentoo'] };
const MASS = 'Body Mass (g)';
const col = (t: ColumnTable, name: string) => Array.from(t.array(name) as ArrayLike<unknown>);
const stored = (t: ColumnTable) => Table.decode(Table.encode(t));

describe('cleaners/impute-missing', () => {
  it('fills every gap: numeric by median, categorical by most frequent, never the target', async () => {
    const { transform } = await runTask(imputeMissing, { train: stored(penguins()), problem });
    const step = transform.steps[0] as TransformSpec['steps'][number] & { columns: any[] };
    expect(step.columns.map((c) => c.column)).toEqual(['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', MASS, 'Sex']);
    const masses = (rows.map((r) => r[MASS]).filter((v) => v !== null) as number[]).sort((a, b) => a - b);
    expect(step.columns.find((c) => c.column === MASS)).toEqual({ column: MASS, method: 'median', value: (masses[170] + masses[171]) / 2 });
    expect(step.columns.find((c) => c.column === 'Sex')).toEqual({ column: 'Sex', method: 'most_frequent', value: 'MALE' });
    const out = applyTransform(penguins(), transform);
    for (const c of out.columnNames()) expect(col(out, c).filter((v) => v === null)).toHaveLength(0);
  });

  it('per-column methods and constant fill', async () => {
    const { transform } = await runTask(imputeMissing, { train: penguins(), problem }, {
      columns: [MASS], methods: { Sex: 'constant' }, fillValue: 'unknown',
    });
    expect(transform.steps[0].columns).toEqual([
      { column: MASS, method: 'median', value: 4050 },
      { column: 'Sex', method: 'constant', value: 'unknown' },
    ]);
  });

  it("rejects 'mean' on a string column, saying what to use instead", async () => {
    const run = runTask(imputeMissing, { train: penguins(), problem }, { methods: { Island: 'mean' } });
    await expect(run).rejects.toThrow(NonRetryableError);
    await expect(runTask(imputeMissing, { train: penguins(), problem }, { methods: { Island: 'mean' } }))
      .rejects.toThrow("column 'Island' is categorical; 'mean' needs numbers. Use 'most_frequent' or 'constant'");
  });
});

describe('cleaners/clip-outliers', () => {
  it('IQR bounds learned on train cap test values', async () => {
    // Train body masses 3750, 3800, 3250, 3450 → sorted 3250, 3450, 3750, 3800:
    // q1 = 3250 + 0.75·200 = 3400, q3 = 3750 + 0.25·50 = 3762.5, IQR 362.5 → fences 2856.25 and 4306.25.
    const train = penguins().reify([0, 1, 2, 4]);
    const { transform } = await runTask(clipOutliers, { train, problem }, { columns: [MASS] });
    expect(transform.steps[0]).toEqual({ type: 'clip', method: 'iqr', factor: 1.5, columns: [{ column: MASS, lower: 2856.25, upper: 4306.25 }] });
    const test = aq.from([6000, 1000, 4000, null].map((m) => ({ ...rows[0], [MASS]: m })));
    expect(col(applyTransform(test, transform), MASS)).toEqual([4306.25, 2856.25, 4000, null]);
  });

  it('z-score bounds keep every value within mean ± z·std', async () => {
    const { transform } = await runTask(clipOutliers, { train: penguins(), problem }, { method: 'zscore', z: 1 });
    const out = applyTransform(penguins(), transform);
    for (const { column, lower, upper } of transform.steps[0].columns as any[]) {
      const xs = col(out, column).filter((v) => v !== null) as number[];
      expect(Math.min(...xs)).toBeCloseTo(lower, 9);
      expect(Math.max(...xs)).toBeCloseTo(upper, 9);
    }
  });
});

describe('stateless cleaners', () => {
  it('drop-columns removes columns; an unknown one lists the columns', async () => {
    const { table } = await runTask(dropColumns, { table: penguins() }, { columns: ['Island', 'Sex'] });
    expect(table.columnNames()).toEqual(['Species', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', MASS]);
    await expect(runTask(dropColumns, { table: penguins() }, { columns: ['island'] }))
      .rejects.toThrow("cleaners/drop-columns: no column 'island'; the table has 'Species', 'Island',");
  });

  it('drop-duplicates keeps the first (or last) of repeated rows', async () => {
    const doubled = aq.from([...rows, ...rows.slice(0, 10)]);
    const { table } = await runTask(dropDuplicates, { table: stored(doubled) });
    expect(table.numRows()).toBe(344);
    expect(table.objects()).toEqual(penguins().objects());
    const bySpecies = await runTask(dropDuplicates, { table: penguins() }, { columns: ['Species'], keep: 'last' });
    // The last Adelie, Chinstrap and Gentoo rows are 151, 219 and 343.
    expect(bySpecies.table.objects()).toEqual([rows[151], rows[219], rows[343]]);
  });

  it('drop-missing drops rows with a gap in the chosen columns', async () => {
    const all = await runTask(dropMissing, { table: stored(penguins()) });
    expect(all.table.numRows()).toBe(rows.filter((r) => Object.values(r).every((v) => v !== null)).length);
    const mass = await runTask(dropMissing, { table: penguins() }, { columns: [MASS] });
    expect(mass.table.numRows()).toBe(342);
  });

  it('drop-missing-target drops only rows without a target', async () => {
    const t = aq.from(rows.map((r, i) => (i % 100 === 0 ? { ...r, Species: null } : r)));
    const { table } = await runTask(dropMissingTarget, { table: t, problem });
    expect(table.numRows()).toBe(340);
    expect(col(table, 'Sex').filter((v) => v === null)).toHaveLength(10);
  });

  it('cast-types converts, turns failures into null with a counted warning, or fails when strict', async () => {
    const asText = await runTask(castTypes, { table: penguins() }, { types: { [MASS]: 'string' } });
    expect(col(asText.table, MASS)[0]).toBe('3750');
    const back = await runTask(castTypes, { table: stored(asText.table) }, { types: { [MASS]: 'number' } });
    expect(col(back.table, MASS)).toEqual(col(penguins(), MASS));
    const ctx = makeContext();
    const sex = await runTask(castTypes, { table: penguins() }, { types: { Sex: 'boolean' } }, ctx);
    expect(new Set(col(sex.table, 'Sex'))).toEqual(new Set([null]));
    expect(ctx.logs).toEqual([expect.stringMatching(/^warn: cleaners\/cast-types: 334 value\(s\) of column 'Sex' cannot be cast to boolean/)]);
    await expect(runTask(castTypes, { table: penguins() }, { types: { Sex: 'boolean' }, strict: true }))
      .rejects.toThrow(/334 value\(s\) of column 'Sex'.*set strict: false/);
    const flags = aq.from([{ f: 'Yes' }, { f: 'no' }, { f: '1' }, { f: 'maybe' }]);
    expect(col((await runTask(castTypes, { table: flags }, { types: { f: 'boolean' } })).table, 'f')).toEqual([true, false, true, null]);
  });
});
