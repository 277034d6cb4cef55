import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCache } from './commands/cache.ts';
import { registerGraph } from './commands/graph.ts';
import { registerInit } from './commands/init.ts';
import { registerPlan } from './commands/plan.ts';
import { registerPredict } from './commands/predict.ts';
import { registerKeygen } from './commands/keygen.ts';
import { registerModels } from './commands/models.ts';
import { registerMonitor } from './commands/monitor.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerServe } from './commands/serve.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerSweeps } from './commands/sweeps.ts';
import { loadCore, type CliContext, type CliRuntime } from './context.ts';
import { ExitCode, UsageError } from './exit-codes.ts';

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit code. Never calls
 * process.exit itself, so pending output on a piped stdout is flushed before the process ends.
 */
export async function main(argv: string[], runtime: CliRuntime): Promise<number> {
  const ctx: CliContext = {
    ...runtime,
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    exitCode: ExitCode.ok,
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return await reportError(err, ctx);
  }
}

/** The commander program with every command registered. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('mlcycle')
    .description('Run the machine-learning lifecycle as a DAG of typed, cached tasks.')
    .version(packageVersion(), '-V, --version')
    .option('--home <dir>', 'workspace folder (default: $MLCYCLE_HOME, else ./.mlcycle)')
    // Usage errors must exit 2, not commander's 1: throw instead of exiting, and map in main().
    .exitOverride()
    .showSuggestionAfterError(true);
  // Subcommands inherit exitOverride only when it is set before they are added.
  registerRun(program, ctx);
  registerPlan(program, ctx);
  registerGraph(program, ctx);
  registerRuns(program, ctx);
  registerCache(program, ctx);
  registerInit(program, ctx);
  // predict is written by another engineer (commands/predict.ts); ctx satisfies its PredictIo.
  registerPredict(program, ctx);
  registerKeygen(program, ctx);
  registerSweep(program, ctx);
  registerSweeps(program, ctx);
  registerModels(program, ctx);
  registerServe(program, ctx);
  registerMonitor(program, ctx);
  return program;
}

async function reportError(err: unknown, ctx: CliContext): Promise<number> {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help); only the code needs mapping.
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (err instanceof UsageError) {
    ctx.stderr.write(`error: ${err.message}\n`);
    return ExitCode.usage;
  }
  const core = await loadCore(ctx);
  if (err instanceof core.ValidationError) {
    ctx.stderr.write(`error: ${err.message}\n`);
    return ExitCode.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  ctx.stderr.write(`error: ${message}\n`);
  if (ctx.env.MLCYCLE_DEBUG && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  else ctx.stderr.write('(set MLCYCLE_DEBUG=1 for the stack trace)\n');
  return ExitCode.failed;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
