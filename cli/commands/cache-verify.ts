import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../options.ts';
import { withWorkspace } from '../workspace.ts';

/**
 * `mlcycle cache verify`: re-hashes every stored blob. Exits 1 when any is missing or corrupt, like
 * fsck, so scripts can act on it; a damaged entry is harmless to runs (the node recomputes), so
 * `--quarantine` moves bad blobs aside rather than deleting them.
 */
export function registerCacheVerify(cache: Command, ctx: CliContext): void {
  cache
    .command('verify')
    .description('re-hash every stored artifact; report missing and corrupt ones (exit 1 if any)')
    .option('--quarantine', 'move corrupt blobs aside and drop their cache entries so runs recompute them')
    .option('--json', 'print the result as one JSON object on stdout')
    .action(async (flags: { quarantine?: boolean; json?: boolean }, command: Command) => {
      const result = await withWorkspace(command, ctx, (ws, core) => core.verifyCache(ws, { quarantine: Boolean(flags.quarantine) }));
      if (flags.json) printJson(ctx, result);
      else {
        ctx.stderr.write(`checked ${result.checked} artifacts: ${result.ok} ok, ${result.missing.length} missing, ${result.corrupt.length} corrupt\n`);
        for (const d of result.missing) ctx.stderr.write(`  missing ${d}\n`);
        for (const d of result.corrupt) ctx.stderr.write(`  corrupt ${d}${result.quarantined.includes(d) ? ' (quarantined)' : ''}\n`);
        if ((result.missing.length || result.corrupt.length) && !flags.quarantine) {
          ctx.stderr.write('nodes reading these recompute on the next run; `mlcycle cache verify --quarantine` moves corrupt blobs aside now.\n');
        }
      }
      ctx.exitCode = result.missing.length || result.corrupt.length ? ExitCode.failed : ExitCode.ok;
    });
}
