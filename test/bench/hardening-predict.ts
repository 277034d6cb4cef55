/**
 * Part 4 of the hardening benchmark: prediction's strict input path. New rows are read through the
 * training loader (`readTable`, plugins/loaders/read-table.ts) and checked row by row against the
 * bundle's input contract (`checkInputRows`, plugins/exporters/input-check.ts), against the loose
 * path predict had before: arquero's `fromCSV` of the same text and no check. The input is the issue's
 * 27,001-row penguins CSV, and the bundle is exported from a tree trained as
 * test/plugins/exporters-fixture.ts does, so its manifest carries an input contract.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import { loadBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { checkInputRows } from '../../plugins/exporters/input-check.ts';
import { readTable } from '../../plugins/loaders/read-table.ts';
import { runTask } from '../helpers/task-context.ts';
import { trainPenguins } from '../plugins/exporters-fixture.ts';
import { paired, row, type HardeningRow } from './hardening-timing.ts';

const FIXTURE = new URL('../fixtures/data/penguins.csv', import.meta.url);

/**
 * Writes `rows` data rows of penguins features (no Species, the label predict does not get): the
 * fixture's complete rows (Sex neither blank, '.' nor NA) repeated in order.
 * @example
 * writePenguinInput('/tmp/x/new-penguins.csv', 27_001);
 */
export function writePenguinInput(file: string, rows: number): void {
  const [header, ...lines] = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  const complete = lines.map((l) => l.split(',')).filter((cells) => !['', '.', 'NA'].includes(cells[6]!.trim()) && !cells.includes(''));
  const out = [header!.split(',').slice(1).join(',')];
  for (let i = 0; i < rows; i++) out.push(complete[i % complete.length]!.slice(1).join(','));
  writeFileSync(file, `${out.join('\n')}\n`);
}

/**
 * readTable + checkInputRows against fromCSV alone on a `rows`-row CSV; fails if the check finds an
 * invalid row (both sides must then keep every row).
 * @example
 * const r = await predictInputRow(dir, { rows: 27_001, reps: 5 });
 */
export async function predictInputRow(dir: string, o: { rows: number; reps: number }): Promise<HardeningRow> {
  const csv = join(dir, 'new-penguins.csv');
  writePenguinInput(csv, o.rows);
  const trained = await trainPenguins('tree');
  const { model, transform, problem, schema, reference } = trained;
  const out = join(dir, 'bundle');
  await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out, name: 'penguins' });
  const { manifest } = await loadBundle(out);
  if (!manifest.inputContract) throw new Error('the exported manifest has no input contract: the bench would time the old checks');

  const strict = async () => {
    const { table, lineOf } = await readTable(csv);
    return checkInputRows(table, manifest, { lineOf });
  };
  const loose = () => fromCSV(readFileSync(csv, 'utf8'));
  const checked = await strict();
  if (checked.invalid.length || checked.table.numRows() !== o.rows || loose().numRows() !== o.rows) {
    throw new Error(`predict input: expected ${o.rows} valid rows, got ${checked.table.numRows()} kept and ${checked.invalid.length} invalid`);
  }
  const times = await paired(o.reps, strict, loose);
  // Where the checked side's time goes: the training loader, or the per-row contract check.
  const { table, lineOf } = await readTable(csv);
  const parts = await paired(o.reps, () => readTable(csv), () => checkInputRows(table, manifest, { lineOf }));
  return row({
    check: 'predict input',
    case: `${o.rows.toLocaleString('en-US')}-row penguins CSV`,
    against: 'fromCSV, no check',
    unit: 'ms',
    note: `predict input: readTable alone takes ${parts.checkedMs.toFixed(1)} ms and checkInputRows alone ${parts.uncheckedMs.toFixed(1)} ms `
      + `(fromCSV: ${times.uncheckedMs.toFixed(1)} ms).`,
  }, times, 1.5);
}
