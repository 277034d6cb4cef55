import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../exit-codes.ts';
import { resolveHome } from '../home.ts';

/** Where predict reads relative paths from and writes its output; CliContext satisfies it. */
export interface PredictIo {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

interface PredictFlags {
  out?: string;
  json?: boolean;
  onInvalid: 'error' | 'skip' | 'null';
  rangeTolerance?: string;
  table?: string;
  publicKey?: string;
}

/**
 * Registers `mlcycle predict <bundle> <input> [--out preds.csv] [--json] [--on-invalid error|skip|null]`:
 * reads the input through the training loaders (any format by extension, same errors), checks every
 * row against what the model saw in training, applies the bundle's preprocessing, predicts, and
 * writes the input rows with `predicted` and `prob_<class>` columns as CSV to --out (atomically; never
 * over the input) or to stdout. `--json` prints one JSON object instead. Bad input, invalid rows under
 * the default policy, a refused bundle or a refused --out exit 2; a failed write (disk full) exits 1
 * and leaves any previous --out file unchanged.
 * @example
 * registerPredict(program, ctx);   // mlcycle predict bundles/penguins new-penguins.csv --out preds.csv
 */
export function registerPredict(program: Command, io: PredictIo = {}): void {
  program
    .command('predict')
    .description('predict new rows with an exported bundle (exporters/bundle)')
    .argument('<bundle>', 'bundle folder written by exporters/bundle, or a registered model: models:/name@alias or models:/name/version')
    .argument('<input>', 'rows to predict: .csv .tsv .txt .json .ndjson .jsonl .parquet .arrow .feather, or .db/.sqlite with --table')
    .option('-o, --out <file>', 'write the predictions as CSV to this file instead of stdout')
    .option('--json', 'print one JSON object on stdout')
    .addOption(new Option('--on-invalid <policy>', 'rows unlike the training data: fail, leave them out, or predict them as empty')
      .choices(['error', 'skip', 'null']).default('error'))
    .option('--range-tolerance <fraction>', 'how far past the training range a number may be, as a fraction of the range (default 0.1)')
    .option('--table <name>', 'the table to read from a SQLite input')
    .option('--public-key <file>', 'require a bundle signed by this ed25519 public key (PEM); default env MLCYCLE_BUNDLE_PUBLIC_KEY')
    .action(async (bundleDir: string, inputFile: string, flags: PredictFlags, command: Command) => {
      await predictCommand(bundleDir, inputFile, flags, io, command);
    });
}

async function predictCommand(bundleDir: string, inputFile: string, flags: PredictFlags, io: PredictIo, command: Command): Promise<void> {
  const cwd = io.cwd ?? process.cwd();
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const input = resolve(cwd, inputFile);
  const out = flags.out === undefined ? undefined : resolve(cwd, flags.out);
  const rangeTolerance = parseTolerance(flags.rangeTolerance);
  // Refused before any work: the user should not wait for a prediction that cannot be written.
  if (out) await toUsageError(async (core) => core.checkUserFile(flags.out!, { inputs: [input], cwd }));
  let written: { rows: number; predicted: number; invalid: unknown[]; notes: string[]; csv: string; objects?: () => object[] };
  let bundleName: string;
  let bundleFiles: string[];
  try {
    // Loaded here, not at the top: `mlcycle --help` must not pay for TensorFlow.js.
    const { loadModel, isModelUri } = await import('../../plugins/serving/load-model.ts');
    const { readTable } = await import('../../plugins/loaders/read-table.ts');
    const { describeInvalid } = await import('../../plugins/exporters/input-check.ts');
    const { toCSV } = await import('arquero');
    // A registered model must carry the manifest recorded when it was registered: a file edited in
    // the registry folder since (and re-sealed) is refused.
    const home = isModelUri(bundleDir) ? resolveHome(command.optsWithGlobals() as { home?: string }, { cwd, env: io.env ?? process.env }) : undefined;
    const model = await loadModel(bundleDir, {
      cwd, ...(home === undefined ? {} : { home }), ...(io.env ? { env: io.env } : {}),
      ...(flags.publicKey === undefined ? {} : { publicKey: resolve(cwd, flags.publicKey) }),
    });
    const bundle = model.bundle;
    bundleName = bundle.manifest.name;
    bundleFiles = [join(bundle.dir, 'manifest.json'), ...Object.keys(bundle.manifest.files).map((f) => join(bundle.dir, f))];
    const warn = (m: string) => stderr.write(`warning: ${m}\n`);
    const read = await readTable(input, { table: flags.table, log: { info: () => undefined, debug: () => undefined, warn } });
    const total = read.table.numRows();
    const result = await model.predictRows(read.table, { onInvalid: flags.onInvalid, rangeTolerance, lineOf: read.lineOf });
    for (const note of result.notes) stderr.write(`note: ${note}\n`);
    if (result.invalid.length) {
      const done = flags.onInvalid === 'skip' ? 'left out' : 'kept with an empty prediction and invalid_reason';
      stderr.write(`${describeInvalid(result.invalid, total)}\n(--on-invalid ${flags.onInvalid}: ${result.invalid.length} row(s) ${done})\n`);
    }
    written = {
      rows: result.predictions.numRows(), predicted: result.predicted, invalid: result.invalid, notes: result.notes,
      csv: endLine(toCSV(result.predictions)), objects: () => result.predictions.objects(),
    };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw Object.assign(new UsageError(`predict: ${message}`), { cause: err });
  }
  const summary = {
    bundle: bundleName, rows: written.rows, predicted: written.predicted,
    onInvalid: flags.onInvalid, invalid: written.invalid, notes: written.notes,
  };
  if (out) {
    await writeOut(out, written.csv, [input, ...bundleFiles], cwd);
    if (flags.json) stdout.write(`${JSON.stringify({ ...summary, out }, null, 2)}\n`);
    else stderr.write(`wrote ${written.rows} predictions to ${out}\n`);
  } else if (flags.json) {
    stdout.write(`${JSON.stringify({ ...summary, predictions: written.objects!() }, null, 2)}\n`);
  } else {
    stdout.write(written.csv);
  }
}

/** Temp + fsync + rename through writeUserFile; refusals exit 2, a failed write (ENOSPC) exits 1. */
async function writeOut(out: string, csv: string, inputs: string[], cwd: string): Promise<void> {
  await toUsageError(async (core) => core.writeUserFile(out, csv, { inputs, cwd }));
}

/** Runs a core file call, prefixing its message with `predict:`; a refusal (ValidationError) becomes exit 2. */
async function toUsageError(call: (core: typeof import('../../core/index.ts')) => Promise<void>): Promise<void> {
  const core = await import('../../core/index.ts');
  try {
    await call(core);
  } catch (err) {
    const message = `predict: ${(err as Error).message}`;
    if (err instanceof core.ValidationError) throw Object.assign(new UsageError(message), { cause: err });
    throw Object.assign(new Error(message), { cause: err });
  }
}

function parseTolerance(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`predict: --range-tolerance must be a finite number >= 0 (a fraction of the training range, e.g. 0.1), got '${text}'`);
  }
  return value;
}

/** Text files end with one newline (arquero's toCSV already adds it; guard in case that changes). */
function endLine(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
