import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { resolveHome } from '../home.ts';
import { homeOf } from '../options.ts';
import { collect } from '../params.ts';
import { monitorText } from './monitor-text.ts';
import { buildRetrainDag, retrain, retrainText, type RetrainOutcome } from './monitor-retrain.ts';

interface MonitorFlags {
  data?: string;
  fromLog?: string;
  json?: boolean;
  report?: string;
  table?: string;
  pValue?: string;
  distance?: string;
  driftShare?: string;
  publicKey?: string;
  retrain?: string;
  param: string[];
}

/**
 * Registers `mlcycle monitor <model> (--data new.csv | --from-log <dir|file>) [--json] [--report x.html]`:
 * tests new rows against the reference profile the bundle carries (per-feature drift, the dataset
 * verdict, the predictions' and labels' distributions, scores on labelled rows). The work is
 * plugins/monitor/monitor-model.ts monitorModel; this reads the input and prints. Exit 0 no dataset
 * drift, 3 drift, 2 bad input (a missing column, an unreadable file, a bundle without profile, a bad
 * URI or option), 1 an unexpected failure.
 * @example
 * registerMonitor(program, ctx);   // mlcycle monitor models:/penguins@champion --data new.csv --report drift.html
 */
export function registerMonitor(program: Command, ctx: CliContext): void {
  program
    .command('monitor')
    .description('test new data (or served traffic) for drift against the reference profile a bundle carries')
    .argument('<model>', 'bundle folder, or a registered model: models:/name@alias or models:/name/version')
    .option('--data <file>', 'new rows: .csv .tsv .txt .json .ndjson .jsonl .parquet .arrow .feather, or .db/.sqlite with --table; with the target column, performance is scored too')
    .option('--from-log <dir|file>', "serve's prediction log (its --log-dir folder or one .ndjson file): the logged rows and predictions")
    .option('--json', 'print one JSON object on stdout')
    .option('--report <file>', 'write a self-contained HTML page with each feature\'s training vs current distribution')
    .option('--table <name>', 'the table to read from a SQLite --data file')
    .option('--p-value <p>', 'KS / chi-squared: drift when p is below this (default 0.05)')
    .option('--distance <d>', 'Wasserstein / Jensen–Shannon (references over 1,000 values): drift when the distance is at least this (default 0.1)')
    .option('--drift-share <share>', 'dataset drift when at least this share of features drifted (default 0.5)')
    .option('--public-key <file>', 'require a bundle signed by this ed25519 public key (PEM); default env MLCYCLE_BUNDLE_PUBLIC_KEY')
    .option('--retrain <dag-file>', 'on dataset drift, re-run this DAG (only its stale nodes run); its deploy/register gate decides whether the new model replaces the champion')
    .option('-p, --param <name=value>', 'with --retrain: a DAG parameter for the re-run, e.g. data=new.csv (repeatable)', collect, [])
    .action(async (ref: string, flags: MonitorFlags, command: Command) => {
      ctx.exitCode = await monitorCommand(ref, flags, command, ctx);
    });
}

async function monitorCommand(ref: string, flags: MonitorFlags, command: Command, ctx: CliContext): Promise<number> {
  if ((flags.data === undefined) === (flags.fromLog === undefined)) {
    throw new UsageError('monitor: give the rows to monitor with exactly one of --data <file> or --from-log <dir|file>');
  }
  if (flags.param.length && flags.retrain === undefined) throw new UsageError('monitor: --param sets the params of the --retrain DAG; give --retrain <dag-file> too');
  const thresholds = {
    ...option(flags.pValue, '--p-value', (v) => v > 0 && v < 1, 'a p-value between 0 and 1 (exclusive), e.g. 0.01', 'pValue'),
    ...option(flags.distance, '--distance', (v) => v > 0, 'a distance > 0, e.g. 0.15', 'distance'),
    ...option(flags.driftShare, '--drift-share', (v) => v > 0 && v <= 1, 'a share in (0, 1], e.g. 0.3', 'datasetShare'),
  };
  // Built first: a bad DAG file or param fails before any monitoring is printed or written.
  const retrainDag = flags.retrain === undefined ? undefined : await buildRetrainDag(flags.retrain, flags.param, ctx);
  const cwd = ctx.cwd;
  const source = resolve(cwd, (flags.data ?? flags.fromLog)!);
  const core = await import('../../core/index.ts');
  const userFault = (err: unknown) => err instanceof core.ValidationError || err instanceof core.DataError || err instanceof core.IntegrityError;
  const fail = (err: unknown, where = ''): never => {
    if (err instanceof UsageError || !userFault(err)) throw err;
    throw Object.assign(new UsageError(`monitor: ${where}${(err as Error).message}`), { cause: err });
  };
  const report = flags.report === undefined ? undefined : resolve(cwd, flags.report);
  // Refused before any work: a report that cannot be written should not wait for the monitoring.
  if (report) {
    try {
      core.checkUserFile(report, { inputs: [source], cwd });
    } catch (err) {
      fail(err, '--report: ');
    }
  }
  const { loadModel, isModelUri } = await import('../../plugins/serving/load-model.ts');
  const { monitorModel } = await import('../../plugins/monitor/monitor-model.ts');
  const home = isModelUri(ref) ? resolveHome(command.optsWithGlobals() as { home?: string }, { cwd, env: ctx.env }) : undefined;
  const model = await loadModel(ref, {
    cwd, env: ctx.env, ...(home === undefined ? {} : { home }), ...(flags.publicKey === undefined ? {} : { publicKey: resolve(cwd, flags.publicKey) }),
  }).catch((err: unknown) => fail(err));
  const warn = (m: string) => ctx.stderr.write(`warning: ${m}\n`);
  let result;
  if (flags.data !== undefined) {
    const { readTable } = await import('../../plugins/loaders/read-table.ts');
    const read = await readTable(source, { table: flags.table, log: { info: () => undefined, debug: () => undefined, warn } }).catch((err: unknown) => fail(err));
    result = await monitorModel(model, read.table, thresholds).catch((err: unknown) => fail(err, `${flags.data}: `));
  } else {
    const { readPredictionLog } = await import('../../plugins/monitor/read-prediction-log.ts');
    const log = await readPredictionLog(source, { model: model.name }).catch((err: unknown) => fail(err));
    for (const w of log.warnings) warn(w);
    const others = Object.entries(log.otherModels);
    if (others.length) ctx.stderr.write(`note: left out ${others.map(([m, n]) => `${n} row(s) of model '${m}'`).join(', ')}; monitoring '${model.name}'\n`);
    const versions = Object.keys(log.versions);
    if (model.version !== null && versions.some((v) => v !== String(model.version))) {
      ctx.stderr.write(`note: the log's rows were served by version(s) ${versions.map((v) => `${v} (${log.versions[v]} rows)`).join(', ')}; the profile is version ${model.version}'s\n`);
    }
    result = await monitorModel(model, log.rows, { ...thresholds, predictions: log.predictions }).catch((err: unknown) => fail(err, `${flags.fromLog}: `));
  }
  if (report) {
    const { monitorReportHtml } = await import('../../plugins/monitor/monitor-html.ts');
    const html = await monitorReportHtml(result, { source: flags.data ?? flags.fromLog! });
    try {
      core.writeUserFile(report, html, { inputs: [source], cwd });
    } catch (err) {
      fail(err, '--report: ');
    }
  }
  const drifted = result.drift.datasetDrift;
  if (!flags.json) ctx.stdout.write(monitorText(result, { source: flags.data ?? flags.fromLog! }, ctx.stdout));
  if (report) ctx.stderr.write(`wrote the drift report to ${report}\n`);
  // Retrain only on dataset drift: a feature or two drifting is reported, not acted on.
  let retrained: RetrainOutcome | undefined;
  if (flags.retrain !== undefined && retrainDag) {
    if (drifted) {
      ctx.stderr.write(`dataset drift: retraining with ${flags.retrain}${flags.param.length ? ` --param ${flags.param.join(' --param ')}` : ''}\n`);
      retrained = await retrain(retrainDag, flags.retrain, { cache: true }, homeOf(command, ctx), ctx);
      ctx.stderr.write(retrainText(retrained));
    } else {
      ctx.stderr.write('no dataset drift: nothing retrained\n');
    }
  }
  if (flags.json) {
    const { monitorReportJson } = await import('../../plugins/monitor/monitor-json.ts');
    const json = { ...monitorReportJson(result), ...(flags.retrain === undefined ? {} : { retrain: retrained ?? null }) };
    ctx.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }
  // A failed retraining run is the command's failure (its own exit code); otherwise 3 still says "drift".
  if (retrained && retrained.code !== ExitCode.ok) return retrained.code;
  return drifted ? ExitCode.drift : ExitCode.ok;
}

/** A numeric threshold flag, checked; `{}` when absent so detectDrift keeps its default. */
function option(text: string | undefined, flag: string, ok: (v: number) => boolean, what: string, key: string): Record<string, number> {
  if (text === undefined) return {};
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new UsageError(`monitor: ${flag} must be ${what}, got '${text}'`);
  return { [key]: v };
}
