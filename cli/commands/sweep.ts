import { Option, type Command } from 'commander';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { DagDefinition, Space, StudyRecord, StudyResult, SweepOptions } from '../../core/index.ts';
import { loadCore, type CliContext, type Core } from '../context.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { loadDagOrSweep } from '../load-dag.ts';
import { homeOf, integer, positiveInt, printJson } from '../options.ts';
import { collect, parseParamFlags } from '../params.ts';
import { renderStudyResult, sweepLines } from '../render/sweep-lines.ts';
import { installCancelHandlers } from '../signals.ts';
import { parseSpaceFlags } from '../space-flags.ts';
import { studyJson } from './sweeps-json.ts';

interface SweepFlags {
  param: string[];
  space: string[];
  enqueue: string[];
  objective?: string;
  direction?: 'minimize' | 'maximize';
  trials?: number;
  sampler?: 'tpe' | 'random' | 'grid';
  pruner?: 'none' | 'median' | 'asha';
  pruneOn?: string;
  parallel?: number;
  seed?: number;
  name?: string;
  resume?: string;
  concurrency?: number;
  executor?: 'inprocess' | 'threads';
  json?: boolean;
}

/** `mlcycle sweep <file>`: runs (or resumes) a study over a DAG's params. */
export function registerSweep(program: Command, ctx: CliContext): void {
  program
    .command('sweep')
    .description('tune a DAG: run trials of it with params from a search space (a sweep file, or a DAG file with --space)')
    .argument('[file]', 'sweep file (default export sweep(dag, {...})) or DAG file (then --space, --objective and --direction); optional with --resume')
    .option('-p, --param <name=value>', 'a fixed DAG param for every trial (repeatable; overrides the sweep file\'s fixed)', collect, [])
    .option('-s, --space <name=dist>', "a swept param: int(lo,hi[,log][,step=s]), float(lo,hi[,log][,step=s]) or choice(a,b,…) (repeatable)", collect, [])
    .option('--objective <path>', 'path into the DAG\'s results to optimise, e.g. cv.accuracy.mean')
    .addOption(new Option('--direction <dir>', 'minimize or maximize the objective').choices(['minimize', 'maximize']))
    .option('-n, --trials <n>', 'trials the study holds when done (default 20; more extends a finished study)', positiveInt)
    .addOption(new Option('--sampler <name>', 'how params are chosen (default tpe)').choices(['tpe', 'random', 'grid']))
    .addOption(new Option('--pruner <name>', 'stop hopeless trials early on their step metrics (default none)').choices(['none', 'median', 'asha']))
    .option('--prune-on <metric>', 'the step metric the pruner reads (default val_score)')
    .option('--parallel <n>', 'trials run at once in one workspace (default 1)', positiveInt)
    .option('--seed <n>', 'seed of the sampler and of every trial (default 0)', integer)
    .option('--enqueue <json>', 'params to try first, as a JSON object, e.g. \'{"algorithm":"forest"}\' (repeatable)', collect, [])
    .option('--name <study>', 'study name (default: the DAG name and a digest of the question, so the same command resumes)')
    .option('--resume <study>', 'continue this study (id or name): finished trials are kept, interrupted ones run again')
    .option('-c, --concurrency <n>', 'nodes of one trial that run at once (default: number of cores)', positiveInt)
    .addOption(new Option('--executor <name>', 'where tasks run').choices(['inprocess', 'threads']))
    .option('--json', 'print { study, best, trials } as one JSON object on stdout')
    .action(async (file: string | undefined, flags: SweepFlags, command: Command) => {
      ctx.exitCode = await sweepCommand(file, flags, command, ctx);
    });
}

async function sweepCommand(file: string | undefined, flags: SweepFlags, command: Command, ctx: CliContext): Promise<number> {
  const core = await loadCore(ctx);
  const home = homeOf(command, ctx);
  // --resume continues a stored study as it was asked: its file, folder and question come from the store.
  const stored = flags.resume ? storedStudy(core, home, flags) : undefined;
  const cwd = stored?.cwd ?? ctx.cwd;
  const path = file ?? stored?.file;
  if (!path) throw new UsageError('give the sweep file or DAG file to run (mlcycle sweep <file>), or --resume <study>');
  const target = await loadDagOrSweep(ctx, path, cwd);
  const dag: DagDefinition = target.kind === 'sweep' ? target.sweep.dag : target.dag;
  const options = stored ? resumedOptions(stored, flags) : sweepOptions(target, flags, path);
  const sweep = core.resolveSweep(options);
  // Everything checkable is checked before the workspace is opened: a bad sweep leaves no trace.
  core.checkSweep(dag, sweep, { cwd, file: target.file });

  const session = core.openSession({ home, concurrency: flags.concurrency, executor: flags.executor });
  const cancel = installCancelHandlers(ctx.stderr, 'study');
  let result: StudyResult;
  try {
    const store = core.openStudyStore(join(session.home, 'mlcycle.db'));
    try {
      result = await core.runStudy({
        session, store, dag, sweep, cwd, file: target.file, signal: cancel.signal,
        ...(stored ? { resume: stored.id } : {}),
        onEvent: sweepLines(ctx.stderr),
      });
    } finally {
      store.close();
    }
  } finally {
    cancel.dispose();
    await session.close();
  }
  renderStudyResult(result, ctx.stderr);
  if (flags.json) printJson(ctx, studyJson(result.study, result.trials));
  if (result.stopError) {
    ctx.stderr.write(`error: ${result.stopError.message}\n`);
    return result.stopError instanceof core.ValidationError ? ExitCode.usage : ExitCode.failed;
  }
  if (result.study.status === 'cancelled') {
    ctx.stderr.write(`cancelled: run the same command again (or --resume ${result.study.name}) to continue the study\n`);
    return ExitCode.cancelled;
  }
  if (result.study.status === 'failed') {
    ctx.stderr.write(`error: every trial failed; the first: ${result.study.error}\n`);
    return ExitCode.failed;
  }
  return ExitCode.ok;
}

function parseEnqueue(text: string): Record<string, string | number | boolean | null> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--enqueue ${text}: not JSON; give the params as an object, e.g. --enqueue '{"algorithm":"forest","forest.nEstimators":100}'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--enqueue ${text}: give an object of params`);
  return value as Record<string, string | number | boolean | null>;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The sweep a file and the flags ask for: flags add to and override a sweep file's options. */
function sweepOptions(target: Awaited<ReturnType<typeof loadDagOrSweep>>, flags: SweepFlags, file: string): SweepOptions {
  const base: Partial<SweepOptions> = target.kind === 'sweep' ? target.sweep.options : {};
  if (target.kind === 'dag' && !flags.space.length) {
    throw new UsageError(`${file} is a DAG file: say what to sweep with --space (e.g. --space 'algorithm=choice(logreg,forest)'), or give a sweep file`);
  }
  const options: SweepOptions = {
    ...base,
    fixed: { ...(base.fixed ?? {}), ...parseParamFlags(flags.param) },
    space: parseSpaceFlags(flags.space, base.space ?? {}),
    objective: flags.objective ?? base.objective!,
    direction: flags.direction ?? base.direction!,
    ...defined({ trials: flags.trials, sampler: flags.sampler, pruner: flags.pruner, pruneOn: flags.pruneOn, parallel: flags.parallel, seed: flags.seed, name: flags.name }),
    enqueue: [...(base.enqueue ?? []), ...flags.enqueue.map(parseEnqueue)],
  };
  if (options.objective === undefined) throw new UsageError('say what to optimise with --objective <path into the results>, e.g. --objective cv.accuracy.mean');
  if (options.direction === undefined) throw new UsageError(`say whether to minimize or maximize ${options.objective} with --direction`);
  return options;
}

/** The stored study `--resume` names; the flags that would change its question are refused. */
function storedStudy(core: Core, home: string, flags: SweepFlags): StudyRecord {
  const changing: string[] = [
    ...(['param', 'space', 'enqueue'] as const).filter((k) => flags[k].length),
    ...(['objective', 'direction', 'sampler', 'pruner', 'pruneOn', 'seed', 'name'] as const).filter((k) => flags[k] !== undefined),
  ].map((k) => `--${k === 'pruneOn' ? 'prune-on' : k}`);
  if (changing.length) {
    throw new UsageError(`--resume continues a study as it was asked; drop ${changing.join(', ')} (only --trials, --parallel, --concurrency and --executor may change), or start another study with --name`);
  }
  if (!existsSync(join(home, 'mlcycle.db'))) throw new UsageError(`--resume ${flags.resume}: the workspace ${home} has no studies`);
  const store = core.openStudyStore(join(home, 'mlcycle.db'));
  try {
    const study = store.getStudy(flags.resume!);
    if (!study) {
      const known = store.listStudies({ limit: 5 }).map((s) => s.name);
      throw new UsageError(`--resume ${flags.resume}: no such study${known.length ? ` (recent: ${known.join(', ')}; see mlcycle sweeps ls)` : ' in this workspace'}`);
    }
    return study;
  } finally {
    store.close();
  }
}

function resumedOptions(study: StudyRecord, flags: SweepFlags): SweepOptions {
  return {
    fixed: study.fixed, space: study.space as Space, objective: study.objective, direction: study.direction,
    sampler: study.sampler as SweepOptions['sampler'], pruner: study.pruner as SweepOptions['pruner'], pruneOn: study.pruneOn,
    seed: study.seed, name: study.name, trials: flags.trials ?? study.trials, parallel: flags.parallel ?? study.parallel,
  };
}
