import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { positiveInt, printJson } from '../options.ts';
import { createTable } from '../render/table.ts';
import { colorsFor, colourStatus, formatDuration, formatTime } from '../render/format.ts';
import { withWorkspace, workspaceExists } from '../workspace.ts';

/** `mlcycle runs ls`: recent runs, newest first. */
export function registerRunsLs(runs: Command, ctx: CliContext): void {
  runs
    .command('ls')
    .alias('list')
    .description('list recent runs, newest first')
    .option('-n, --limit <n>', 'how many runs', positiveInt, 20)
    .option('--dag <name>', 'only runs of this DAG')
    .option('--json', 'print { runs: [...] } as one JSON object on stdout')
    .action(async (flags: { limit: number; dag?: string; json?: boolean }, command: Command) => {
      const list = workspaceExists(command, ctx)
        ? await withWorkspace(command, ctx, (ws) => ws.store.listRuns({ limit: flags.limit, dag: flags.dag }))
        : [];
      if (flags.json) return printJson(ctx, { runs: list });
      if (list.length === 0) {
        ctx.stderr.write('no runs yet: start one with `mlcycle run <dag file>`\n');
        return;
      }
      const c = colorsFor(ctx.stderr);
      const table = createTable(['id', 'dag', 'status', 'started', 'duration', 'nodes'], ctx.stderr);
      for (const r of list) {
        const status = colourStatus(r.status, c);
        const took = r.finishedAt == null ? '-' : formatDuration(r.finishedAt - r.startedAt);
        table.push([r.id, r.dag, status, formatTime(r.startedAt), took, String(r.nodeCount)]);
      }
      ctx.stderr.write(`${table.toString()}\n`);
    });
}
