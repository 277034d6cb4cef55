import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.ts';

/** Where predict reads relative paths from and writes its output; CliContext satisfies it. */
export interface PredictIo {
  cwd?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * Registers `mlcycle predict <bundle> <input.csv|json> [--out preds.csv] [--json]`: checks the input
 * rows against the bundle's feature schema, applies its preprocessing, predicts, and writes the input
 * rows with `predicted` and `prob_<class>` columns as CSV to --out, or to stdout. `--json` prints one
 * JSON object instead (`{ bundle, rows, out }` with --out, else `{ bundle, rows, predictions }`).
 * Every failure (tampered bundle, unreadable input, missing column) is a UsageError: exit code 2
 * with a one-paragraph message.
 * @example
 * registerPredict(program, ctx);   // mlcycle predict bundles/penguins new-penguins.csv --out preds.csv
 */
export function registerPredict(program: Command, io: PredictIo = {}): void {
  program
    .command('predict')
    .description('predict new rows with an exported bundle (exporters/bundle)')
    .argument('<bundle>', 'bundle folder written by exporters/bundle')
    .argument('<input>', 'rows to predict: .csv, .tsv or .json (an array of row objects)')
    .option('-o, --out <file>', 'write the predictions as CSV to this file instead of stdout')
    .option('--json', 'print one JSON object on stdout')
    .action(async (bundleDir: string, inputFile: string, flags: { out?: string; json?: boolean }) => {
      const cwd = io.cwd ?? process.cwd();
      const stdout = io.stdout ?? process.stdout;
      const stderr = io.stderr ?? process.stderr;
      try {
        // Loaded here, not at the top: `mlcycle --help` must not pay for TensorFlow.js.
        const { loadBundle, predictBundle } = await import('../../plugins/exporters/_bundle-io.ts');
        const { toCSV } = await import('arquero');
        const bundle = await loadBundle(resolve(cwd, bundleDir));
        const rows = await readRows(resolve(cwd, inputFile));
        const predictions = await predictBundle(bundle, rows);
        const summary = { bundle: bundle.manifest.name, rows: predictions.numRows() };
        if (flags.out) {
          const out = resolve(cwd, flags.out);
          await writeFile(out, endLine(toCSV(predictions)));
          if (flags.json) stdout.write(`${JSON.stringify({ ...summary, out }, null, 2)}\n`);
          else stderr.write(`wrote ${summary.rows} predictions to ${out}\n`);
        } else if (flags.json) {
          stdout.write(`${JSON.stringify({ ...summary, predictions: predictions.objects() }, null, 2)}\n`);
        } else {
          stdout.write(endLine(toCSV(predictions)));
        }
      } catch (err) {
        if (err instanceof UsageError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        throw Object.assign(new UsageError(`predict: ${message}`), { cause: err });
      }
    });
}

/** Text files end with one newline (arquero's toCSV already adds it; guard in case that changes). */
function endLine(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Input rows from a CSV/TSV file (types guessed by arquero) or a JSON array of row objects. */
async function readRows(file: string): Promise<import('arquero').ColumnTable | Array<Record<string, unknown>>> {
  const ext = extname(file).toLowerCase();
  if (!['.csv', '.tsv', '.json'].includes(ext)) {
    throw new UsageError(`predict: cannot read '${file}': use a .csv, .tsv or .json file (an array of row objects).`);
  }
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`predict: cannot read '${file}' (${err.code === 'ENOENT' ? 'no such file' : err.message}).`);
  });
  const { fromCSV } = await import('arquero');
  if (ext !== '.json') return fromCSV(text, { delimiter: ext === '.tsv' ? '\t' : ',' });
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`predict: '${file}' is not valid JSON (${(err as Error).message}).`);
  }
  if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) {
    throw new UsageError(`predict: '${file}' must hold a JSON array of row objects, e.g. [{"x": 1, "y": "a"}].`);
  }
  return rows as Array<Record<string, unknown>>;
}
