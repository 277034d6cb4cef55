import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.ts';
import { printJson } from '../options.ts';
import { withWorkspace } from '../workspace.ts';

/** `mlcycle cache gc`: deletes blobs no run lineage and no cache entry refers to. */
export function registerCacheGc(cache: Command, ctx: CliContext): void {
  cache
    .command('gc')
    .description('delete artifacts that no run and no cache entry refers to')
    .option('--dry-run', 'only say what would be deleted')
    .option('--grace <minutes>', 'keep unreferenced artifacts younger than this: a run in another process may not have recorded them yet', nonNegative, 10)
    .option('--json', 'print the result as one JSON object on stdout')
    .action(async (flags: { dryRun?: boolean; json?: boolean; grace: number }, command: Command) => {
      const graceMs = flags.grace * 60_000;
      const result = await withWorkspace(command, ctx, (ws, core) => core.gcCache(ws, { dryRun: Boolean(flags.dryRun), graceMs }));
      if (flags.json) return printJson(ctx, { dryRun: Boolean(flags.dryRun), ...result });
      const verb = flags.dryRun ? 'would remove' : 'removed';
      const young = result.recent ? `; kept ${result.recent} unreferenced but younger than ${flags.grace} min (--grace 0 removes them)` : '';
      ctx.stderr.write(`${verb} ${result.removed.length} unreferenced artifacts (${formatBytes(result.freedBytes)}); kept ${result.kept}${young}\n`);
    });
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected minutes >= 0, got '${value}'`);
  return n;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
