import { Option, type Command } from 'commander';
import type { BuiltDag, RunSummary } from '../../core/index.ts';
// errors.ts alone, not the index: --help and usage errors must not load the whole engine.
import { INPUT_ERROR_CODES } from '../../core/errors.ts';
import { loadCore, type CliContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { loadDag } from '../load-dag.ts';
import { homeOf, integer, positiveInt, printJson } from '../options.ts';
import { collect, parseParamFlags } from '../params.ts';
import { createRenderer } from '../render/create-renderer.ts';
import { renderSummary } from '../render/summary.ts';
import { installCancelHandlers } from '../signals.ts';

interface RunFlags {
  param: string[];
  concurrency?: number;
  executor?: 'inprocess' | 'threads';
  cache: boolean;
  json?: boolean;
  seed?: number;
}

/** `mlcycle run <file>`: builds the DAG, runs it, renders events, exits 0 / 1 / 130. */
export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run a DAG file; completed nodes are served from the cache')
    .argument('<file>', 'DAG file (TypeScript) whose default export is dag(...)')
    .option('-p, --param <name=value>', 'override a DAG parameter (repeatable; value read as JSON if it parses)', collect, [])
    .option('-c, --concurrency <n>', 'nodes that run at once (default: number of cores)', positiveInt)
    .addOption(new Option('--executor <name>', 'where tasks run').choices(['inprocess', 'threads']))
    .option('--no-cache', 'execute every node even when cached (results are still stored)')
    .option('--seed <n>', 'base seed handed to tasks as ctx.seed (default 0)', integer)
    .option('--json', 'print the run summary as one JSON object on stdout')
    .action(async (file: string, flags: RunFlags, command: Command) => {
      ctx.exitCode = await runCommand(file, flags, command, ctx);
    });
}

async function runCommand(file: string, flags: RunFlags, command: Command, ctx: CliContext): Promise<number> {
  // Build (and so validate) before touching the workspace: a bad DAG leaves no trace in the store.
  const built = await loadDag(ctx, file, { params: parseParamFlags(flags.param), cwd: ctx.cwd });
  const { summary, code } = await runBuiltDag(built, flags, homeOf(command, ctx), ctx);
  if (flags.json) printJson(ctx, summary);
  return code;
}

/** How {@link runBuiltDag} runs: the `run` command's flags minus the DAG's params. */
export type RunDagFlags = Omit<RunFlags, 'param' | 'json'>;

/**
 * Runs a built DAG as `mlcycle run` does: live view on stderr, cancel on Ctrl-C, the summary printed,
 * and the exit code (0 / 1 / 2 for bad input / 130). `monitor --retrain` runs its DAG through here too.
 * @example
 * const { summary, code } = await runBuiltDag(built, { cache: true }, homeOf(command, ctx), ctx);
 */
export async function runBuiltDag(built: BuiltDag, flags: RunDagFlags, home: string, ctx: CliContext): Promise<{ summary: RunSummary; code: number }> {
  const core = await loadCore(ctx);
  const cancel = installCancelHandlers(ctx.stderr);
  let summary: RunSummary;
  try {
    const handle = core.runDag(built, {
      home,
      concurrency: flags.concurrency,
      executor: flags.executor,
      noCache: flags.cache === false,
      signal: cancel.signal,
      seed: flags.seed,
    });
    const renderer = createRenderer(built, ctx.stderr);
    const subscription = handle.events$.subscribe({ next: (event) => renderer.onEvent(event) });
    try {
      summary = await handle.done;
    } finally {
      subscription.unsubscribe();
      await renderer.close();
    }
  } finally {
    cancel.dispose();
  }
  // Kinds of the DAG's results: only Metrics print as score tables, a Json of numbers stays JSON.
  const resultKinds = Object.fromEntries(
    Object.entries(built.results).map(([name, ref]) => [name, built.nodes.get(ref.node)!.task.outputs[ref.port].name]),
  );
  renderSummary(summary, ctx.stderr, resultKinds);
  return { summary, code: exitCodeOf(summary) };
}

function exitCodeOf(summary: RunSummary): number {
  if (summary.status === 'succeeded') return ExitCode.ok;
  if (summary.status === 'cancelled' || summary.status === 'pruned') return ExitCode.cancelled;
  // Bad input data (a malformed CSV, a missing target column) is the user's to fix, like a bad
  // param: exit 2. Anything else that failed is a failed run: exit 1.
  const failed = summary.nodes.filter((n) => n.status === 'failed');
  if (failed.length && failed.every((n) => n.errorCode && INPUT_ERROR_CODES.includes(n.errorCode))) return ExitCode.usage;
  return ExitCode.failed;
}
