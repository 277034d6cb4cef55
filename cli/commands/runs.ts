import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerRunsLs } from './runs-ls.ts';
import { registerRunsShow } from './runs-show.ts';

/** `mlcycle runs …`: the run history kept in the workspace's store. */
export function registerRuns(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('list and inspect past runs');
  registerRunsLs(runs, ctx);
  registerRunsShow(runs, ctx);
}
