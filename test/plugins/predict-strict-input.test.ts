import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { from, toArrowIPC, toCSV, type ColumnTable } from 'arquero';
import { initSync, Table as WasmTable, writeParquet } from 'parquet-wasm/esm';
import { DataError, ValidationError } from '../../core/index.ts';
import { predictTable } from '../../plugins/algorithms/predict-table.ts';
import { loadBundle, type Bundle } from '../../plugins/exporters/bundle-io.ts';
import { predictRows } from '../../plugins/exporters/_bundle-predict.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { checkInputRows, DEFAULT_RANGE_TOLERANCE } from '../../plugins/exporters/input-check.ts';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { readTable } from '../../plugins/loaders/read-table.ts';
import { runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let dir: string;
let tree: Trained;
let loaded: Bundle;
/** The held-out penguins without their label: the rows a user would predict. */
let rows: Array<Record<string, unknown>>;
const file = (name: string, content: string | Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const header = 'Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex';
const good = 'Torgersen,39.1,18.7,181,3750,MALE';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlcycle-strict-'));
  tree = await trainPenguins('tree');
  const { model, transform, problem, schema, reference } = tree;
  await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out: path.join(dir, 'b'), name: 'penguins' });
  loaded = await loadBundle(path.join(dir, 'b'));
  rows = tree.rows.test.map(({ Species, ...rest }) => rest);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTable reads new data through the training loaders', () => {
  it('fails on every malformed file with the very message loaders/csv gives', async () => {
    const probes: Record<string, string | Uint8Array> = {
      'ragged.csv': `${header}\n${good}\nDream,40\n`,
      'dup-header.csv': `Island,Island,Sex\nDream,Biscoe,MALE\n`,
      'latin1.csv': Uint8Array.from([...Buffer.from(`${header}\nDream,39,18,181,3750,M`), 0xc4, 0x0a]),
      'empty.csv': '',
      'blank-lines.csv': '\n\n\n',
      'open-quote.csv': `${header}\n"Dream,39,18,181,3750,MALE\n`,
    };
    for (const [name, content] of Object.entries(probes)) {
      const p = file(name, content);
      const training = await runTask(csvLoader, {}, { path: p }).then(() => undefined, (e: Error) => e);
      const predicting = await readTable(p).then(() => undefined, (e: Error) => e);
      expect(training).toBeInstanceOf(DataError);
      expect(predicting).toBeInstanceOf(DataError);
      expect(predicting!.message).toBe(training!.message);
    }
    const ragged = await readTable(path.join(dir, 'ragged.csv')).catch((e: Error) => e.message);
    expect(ragged).toBe(`${path.join(dir, 'ragged.csv')}:3: line 3 has 2 field(s), the header (line 1) has 6. `
      + 'Quote fields that contain the delimiter, and check for a missing or extra delimiter on that line');
  });

  it('drops a byte-order mark, so the first column keeps its name', async () => {
    const { table } = await readTable(file('bom.csv', `\uFEFF${header}\n${good}\n`));
    expect(table.columnNames()[0]).toBe('Island');
    const { predictions } = await predictRows(loaded, table);
    expect(predictions.get('predicted', 0)).toBe('Adelie');
  });

  it('reads every format by extension to the same values, and knows each row\'s line', async () => {
    const source = from(rows.slice(0, 5));
    const wasm = createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
    initSync({ module: readFileSync(wasm) });
    const ipc = toArrowIPC(source, { format: 'stream' }) as Uint8Array;
    const db = new Database(path.join(dir, 'rows.sqlite'));
    db.exec('CREATE TABLE penguins ("Island" TEXT, "Beak Length (mm)" REAL, "Beak Depth (mm)" REAL, "Flipper Length (mm)" INTEGER, "Body Mass (g)" INTEGER, "Sex" TEXT)');
    const insert = db.prepare('INSERT INTO penguins VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of source.objects() as Array<Record<string, unknown>>) insert.run(...Object.values(r));
    db.close();
    const files = {
      'rows.csv': toCSV(source),
      'rows.tsv': toCSV(source, { delimiter: '\t' }),
      'rows.txt': toCSV(source, { delimiter: '\t' }),
      'rows.json': JSON.stringify(source.objects()),
      'rows.ndjson': (source.objects() as object[]).map((o) => JSON.stringify(o)).join('\n\n'),
      'rows.jsonl': (source.objects() as object[]).map((o) => JSON.stringify(o)).join('\n'),
      'rows.arrow': ipc,
      'rows.feather': toArrowIPC(source, { format: 'file' }) as Uint8Array,
      'rows.parquet': writeParquet(WasmTable.fromIPCStream(ipc)),
    };
    const expected = await predictRows(loaded, source);
    for (const [name, content] of Object.entries(files)) {
      const read = await readTable(file(name, content));
      expect([name, read.table.objects()]).toEqual([name, source.objects()]);
      const { predictions } = await predictRows(loaded, read.table);
      expect([name, predictions.array('predicted')]).toEqual([name, expected.predictions.array('predicted')]);
    }
    const sqlite = await readTable(path.join(dir, 'rows.sqlite'), { table: 'penguins' });
    expect(sqlite.table.objects()).toEqual(source.objects());
    await expect(readTable(path.join(dir, 'rows.sqlite'))).rejects.toThrow(/holds several tables; name the one to read/);
    await expect(readTable(file('rows.xlsx', 'x'))).rejects.toThrow(/cannot tell the format from the extension '\.xlsx'/);
    // Lines: the header is line 1; a quoted field spanning lines and blank lines move later rows down.
    expect((await readTable(path.join(dir, 'rows.csv'))).lineOf(2)).toBe(4);
    const multi = await readTable(file('multi.csv', `${header}\n"Tor\ngersen",39,18,181,3750,MALE\n\n${good}\n`));
    expect([multi.lineOf(0), multi.lineOf(1)]).toEqual([2, 5]);
    expect((await readTable(path.join(dir, 'rows.ndjson'))).lineOf(1)).toBe(3);
    expect((await readTable(path.join(dir, 'rows.json'))).lineOf(1)).toBeUndefined();
  });
});

describe('the bundle records what training saw (input contract)', () => {
  it('per feature: encoder categories, schema range, missing allowed where an imputer fills it', () => {
    expect(loaded.manifest.inputContract).toEqual({
      version: 1,
      features: [
        { name: 'Island', type: 'string', categories: ['Biscoe', 'Dream', 'Torgersen'], missingAllowed: true },
        { name: 'Beak Length (mm)', type: 'number', min: 32.1, max: 59.6, missingAllowed: true },
        { name: 'Beak Depth (mm)', type: 'number', min: 13.1, max: 21.5, missingAllowed: true },
        { name: 'Flipper Length (mm)', type: 'integer', min: 172, max: 231, missingAllowed: true },
        { name: 'Body Mass (g)', type: 'integer', min: 2700, max: 6050, missingAllowed: true },
        { name: 'Sex', type: 'string', categories: ['FEMALE', 'MALE'], missingAllowed: true },
      ],
    });
  });
});

describe('checkInputRows: values the model never saw are reported per row', () => {
  const csv = (...lines: string[]) => readTable(file(`in-${Math.random().toString(36).slice(2)}.csv`, `${header}\n${lines.join('\n')}\n`));
  const strictManifest = () => ({
    ...loaded.manifest,
    // As a transform without imputers would record it: training had no missing values.
    inputContract: { version: 1 as const, features: loaded.manifest.inputContract!.features.map((f) => ({ ...f, missingAllowed: false })) },
  });

  it('unseen category, non-integer, wrong type, out of range, all blank: one line per row, with file lines', async () => {
    const read = await csv(
      good,
      'Atlantis,39.1,18.7,181,3750,MALE',
      'Dream,39.1,18.7,181.5,3750,FEMALE',
      'Dream,39.1,18.7,181,heavy,FEMALE',
      'Dream,39.1,18.7,181,99999,FEMALE',
      ',,,,,',
      good,
    );
    const err = (() => {
      try {
        checkInputRows(read.table, loaded.manifest, { lineOf: read.lineOf });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(DataError);
    expect(err!.message.split('\n')).toEqual([
      '5 of 7 input rows are not like the training data:',
      '  row 2 (line 3): column \'Island\' = "Atlantis" was never seen in training (seen: Biscoe, Dream, Torgersen)',
      '  row 3 (line 4): column \'Flipper Length (mm)\' = 181.5 is not a whole number (training saw only integers)',
      '  row 4 (line 5): column \'Body Mass (g)\' = "heavy" is not a number',
      '  row 5 (line 6): column \'Body Mass (g)\' = 99999 is outside the training range 2700..6050 give or take 10%',
      '  row 6 (line 7): every feature is blank',
      'Fix these rows, or choose what to do with invalid rows: --on-invalid skip (leave them out) or --on-invalid null (keep them with an empty prediction and the reason).',
    ]);
    // skip: the valid rows only, features in training types (one bad cell made the column text).
    const skipped = checkInputRows(read.table, loaded.manifest, { onInvalid: 'skip', lineOf: read.lineOf });
    expect(skipped.kept).toEqual([0, 6]);
    expect(skipped.invalid.map((i) => [i.row, i.line])).toEqual([[2, 3], [3, 4], [4, 5], [5, 6], [6, 7]]);
    expect(skipped.table.array('Body Mass (g)')).toEqual([3750, 3750]);
  });

  it('the range tolerance is a fraction of the training range on each side; 0 is the exact range', async () => {
    expect(DEFAULT_RANGE_TOLERANCE).toBe(0.1);
    // Body Mass trained on 2700..6050 (width 3350): 10% allows 2365..6385.
    const read = await csv('Dream,40,18,181,6385,MALE', 'Dream,40,18,181,6386,MALE', 'Dream,40,18,181,6051,MALE');
    expect(checkInputRows(read.table, loaded.manifest, { onInvalid: 'skip' }).kept).toEqual([0, 2]);
    expect(checkInputRows(read.table, loaded.manifest, { onInvalid: 'skip', rangeTolerance: 0 }).kept).toEqual([]);
    expect(() => checkInputRows(read.table, loaded.manifest, { rangeTolerance: Number.NaN })).toThrow(ValidationError);
  });

  it('a blank where training had no missing value and no imputer is invalid; with an imputer it is fine', async () => {
    const read = await csv('Dream,,18,181,3750,MALE');
    expect(checkInputRows(read.table, loaded.manifest).kept).toEqual([0]);
    const { invalid } = checkInputRows(read.table, strictManifest(), { onInvalid: 'skip' });
    expect(invalid).toEqual([{ row: 1, line: undefined, reasons: [
      "column 'Beak Length (mm)' is blank, but training had no missing values there and no imputer fills it",
    ] }]);
  });

  it('the held-out penguin with Sex "." is not predicted silently', () => {
    const at = rows.findIndex((r) => r.Sex === '.');
    expect(at).toBeGreaterThanOrEqual(0);
    const { invalid } = checkInputRows(rows, loaded.manifest, { onInvalid: 'skip' });
    expect(invalid).toEqual([{ row: at + 1, line: undefined, reasons: ['column \'Sex\' = "." was never seen in training (seen: FEMALE, MALE)'] }]);
  });

  it('a missing column still fails the whole input (ValidationError), naming it', () => {
    const { Island, ...partial } = rows[0]!;
    expect(() => checkInputRows([partial], loaded.manifest, { onInvalid: 'skip' })).toThrow(/missing column\(s\): 'Island'/);
    expect(() => checkInputRows([partial], loaded.manifest)).toThrow(ValidationError);
  });

  it('a bundle without a contract (exported before it) checks types only, and says so', () => {
    const { inputContract, ...old } = loaded.manifest;
    const out = checkInputRows([{ ...rows[0], Island: 'Atlantis', 'Body Mass (g)': 1e9 }, { ...rows[0], 'Body Mass (g)': 'x' }], old, { onInvalid: 'skip' });
    expect(out.kept).toEqual([0]);
    expect(out.invalid[0]!.reasons).toEqual(['column \'Body Mass (g)\' = "x" is not a number']);
    expect(out.notes).toEqual([expect.stringMatching(/exported before input contracts: only columns and types are checked/)]);
  });

  it('a malformed contract in a manifest is refused, not trusted', () => {
    const hostile = { ...loaded.manifest, inputContract: { version: 1, features: [{ name: 'Island', type: 'string', categories: 'Biscoe', missingAllowed: true }] } };
    expect(() => checkInputRows(rows, hostile as never)).toThrow(/inputContract feature 'Island' categories are not strings/);
  });
});

describe('predictRows: the --on-invalid policies', () => {
  let input: ColumnTable;
  beforeAll(() => {
    input = from([rows[0]!, { ...rows[1]!, Island: 'Atlantis' }, rows[2]!]);
  });

  it('skip: invalid rows left out; the others predicted exactly as the model predicts them', async () => {
    const { predictions, invalid, predicted } = await predictRows(loaded, input, { onInvalid: 'skip' });
    expect(predicted).toBe(2);
    expect(invalid.map((i) => i.row)).toEqual([2]);
    const direct = await predictTable(tree.model, tree.testX);
    expect(predictions.array('predicted')).toEqual([direct.get('predicted', 0), direct.get('predicted', 2)]);
    expect(predictions.array('Island')).toEqual([rows[0]!.Island, rows[2]!.Island]);
  });

  it('null: every row kept, invalid ones with empty predictions and the reason', async () => {
    const { predictions } = await predictRows(loaded, input, { onInvalid: 'null' });
    expect(predictions.numRows()).toBe(3);
    expect(predictions.columnNames().slice(-5)).toEqual(['predicted', 'prob_Adelie', 'prob_Chinstrap', 'prob_Gentoo', 'invalid_reason']);
    expect(predictions.get('predicted', 1)).toBeNull();
    expect(predictions.get('prob_Adelie', 1)).toBeNull();
    expect(predictions.get('invalid_reason', 1)).toBe('column \'Island\' = "Atlantis" was never seen in training (seen: Biscoe, Dream, Torgersen)');
    expect(predictions.get('invalid_reason', 0)).toBeNull();
    expect(predictions.get('predicted', 0)).not.toBeNull();
  });

  it('skip with every row invalid: no prediction, no crash, the header still there', async () => {
    const { predictions, predicted } = await predictRows(loaded, from([{ ...rows[0]!, Island: 'Atlantis' }]), { onInvalid: 'skip' });
    expect(predicted).toBe(0);
    expect(predictions.numRows()).toBe(0);
    expect(predictions.columnNames()).toContain('predicted');
  });
});
