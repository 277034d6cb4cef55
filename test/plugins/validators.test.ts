import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { table as aqTable, type ColumnTable } from 'arquero';
import { DataError, Table } from '../../core/index.ts';
import type { DataSchemaSpec } from '../../plugins/kinds.ts';
import { jsonLoader } from '../../plugins/loaders/json.ts';
import { checkTable } from '../../plugins/validators/_check.ts';
import { checkSchema } from '../../plugins/validators/check-schema.ts';
import { inferSchema } from '../../plugins/validators/infer-schema.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

let dir: string;
let penguins: ColumnTable;
let tampered: ColumnTable;
let schema: DataSchemaSpec;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlcycle-validators-'));
  const source = 'node_modules/vega-datasets/data/penguins.json';
  penguins = (await runTask(jsonLoader, {}, { path: source })).table;
  // A tampered copy written as a real file: one fault per row 0..4, and the Sex column dropped.
  const rows = penguins.objects().map(({ Sex: _sex, ...r }: any) => r);
  rows[0]['Beak Length (mm)'] = 500;
  rows[1]['Beak Depth (mm)'] = -1;
  rows[2].Island = 'Atlantis';
  rows[3].Species = null;
  rows[4]['Flipper Length (mm)'] = 181.5;
  const file = path.join(dir, 'penguins-tampered.json');
  writeFileSync(file, JSON.stringify(rows));
  tampered = (await runTask(jsonLoader, {}, { path: file })).table;
  schema = (await runTask(inferSchema, { table: penguins }, {})).schema;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const column = (name: string) => schema.columns.find((c) => c.name === name)!;

describe('validators/infer-schema', () => {
  it('infers types, missing ratios, ranges and categories of penguins', () => {
    expect(schema.rows).toBe(344);
    expect(schema.columns.map((c) => c.name)).toEqual(penguins.columnNames());
    expect(column('Species')).toEqual({ name: 'Species', type: 'string', missingRatio: 0, categories: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(column('Beak Length (mm)')).toEqual({ name: 'Beak Length (mm)', type: 'number', missingRatio: 2 / 344, min: 32.1, max: 59.6 });
    expect(column('Flipper Length (mm)')).toMatchObject({ type: 'integer', min: 172, max: 231 });
    expect(column('Sex').categories).toEqual(['.', 'FEMALE', 'MALE']);
    expect(column('Sex').missingRatio).toBeGreaterThan(0);
  });

  it('gives the same schema for the table as the next node decodes it (Arrow IPC)', async () => {
    const decoded = Table.decode(Table.encode(penguins));
    expect((await runTask(inferSchema, { table: decoded }, {})).schema).toEqual(schema);
  });

  it('drops categories above maxCategories', async () => {
    const small = (await runTask(inferSchema, { table: penguins }, { maxCategories: 2 })).schema;
    expect(small.columns.find((c: any) => c.name === 'Species').categories).toBeUndefined();
    const dates = aqTable({ d: [new Date(0), null], b: [true, false] });
    expect(((await runTask(inferSchema, { table: dates }, {})).schema as DataSchemaSpec).columns).toEqual([
      { name: 'd', type: 'date', missingRatio: 0.5 },
      { name: 'b', type: 'boolean', missingRatio: 0, categories: ['false', 'true'] },
    ]);
  });
});

describe('validators/check-schema', () => {
  it('passes penguins against its own schema', async () => {
    const { report } = await runTask(checkSchema, { table: penguins, schema }, {});
    expect(report).toEqual({ ok: true, rows: 344, violationCount: 0, violations: [] });
  });

  it('lists every fault of the tampered copy by column, with counts and example rows', async () => {
    const ctx = makeContext();
    const { report } = await runTask(checkSchema, { table: tampered, schema }, { failOn: 'never' }, ctx);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v: any) => [v.column, v.kind, v.count, v.examples])).toEqual([
      ['Species', 'unexpected-missing', 1, [{ row: 3, value: null }]],
      ['Island', 'unseen-category', 1, [{ row: 2, value: 'Atlantis' }]],
      ['Beak Length (mm)', 'above-max', 1, [{ row: 0, value: 500 }]],
      ['Beak Depth (mm)', 'below-min', 1, [{ row: 1, value: -1 }]],
      ['Flipper Length (mm)', 'wrong-type', 1, [{ row: 4, value: 181.5 }]],
      ['Sex', 'missing-column', 344, []],
    ]);
    expect(report.violations[1].message).toBe("column 'Island': 1 value outside the 3 known categories (Biscoe, Dream, Torgersen) (e.g. row 2: \"Atlantis\")");
    expect(ctx.logs.join('\n')).toContain('6 schema violation(s)');
  });

  it("fails with failOn 'error', listing the violations", async () => {
    const err = await runTask(checkSchema, { table: tampered, schema }, {}).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err!.message).toContain('6 schema violation(s) in 344 rows');
    expect(err!.message).toContain("column 'Beak Length (mm)': 1 value above the maximum 59.6 (e.g. row 0: 500)");
    expect(err!.message).toContain("column 'Sex' is missing");
  });

  it('accepts new categories when allowed, and caps examples at 5', () => {
    const report = checkTable(tampered, schema, { allowNewCategories: true });
    expect(report.violations.map((v) => v.kind)).not.toContain('unseen-category');
    const request = aqTable({ Species: ['Adelie', 'x', 'y', 'z', 'w', 'v', 'u'] });
    const only = { rows: 7, columns: [column('Species')] };
    const [unseen] = checkTable(request, only).violations;
    expect(unseen.count).toBe(6);
    expect(unseen.examples.map((e) => e.row)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports wrong types in a hand-built request table (as serving would pass it)', () => {
    const request = aqTable({ 'Body Mass (g)': [3800, 'heavy', null], Species: ['Gentoo', 'Adelie', 'Adelie'] });
    const only = { rows: 3, columns: [column('Body Mass (g)'), column('Species')] };
    const report = checkTable(request, only);
    expect(report.violations).toEqual([
      expect.objectContaining({ column: 'Body Mass (g)', kind: 'wrong-type', count: 1, examples: [{ row: 1, value: 'heavy' }] }),
    ]);
  });
});
