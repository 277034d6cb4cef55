import type { Command } from 'commander';
import type { PlanEntry } from '../../core/index.ts';
import { loadCore, type CliContext } from '../context.ts';
import { loadDag } from '../load-dag.ts';
import { homeOf, printJson } from '../options.ts';
import { collect, parseParamFlags } from '../params.ts';
import { createTable } from '../render/table.ts';
import { colorsFor } from '../render/format.ts';

/**
 * `mlcycle plan <file>`: what a run would do, without running: each node cached, stale or new, and
 * why (`param lr changed (0.01 → 0.1)`). Human table on stderr like every human output; `--json` on stdout.
 */
export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('say, for every node, whether a run would hit the cache (cached), recompute (stale) or compute for the first time (new), and why')
    .argument('<file>', 'DAG file')
    .option('-p, --param <name=value>', 'override a DAG parameter (repeatable)', collect, [])
    .option('--json', 'print { dag, params, nodes } as one JSON object on stdout')
    .action(async (file: string, flags: { param: string[]; json?: boolean }, command: Command) => {
      const built = await loadDag(ctx, file, { params: parseParamFlags(flags.param), cwd: ctx.cwd });
      const core = await loadCore(ctx);
      const entries = core.planDag(built, { home: homeOf(command, ctx) });
      if (flags.json) {
        const params = Object.fromEntries(built.params.map((p) => [p.name, p.value]));
        printJson(ctx, { dag: built.name, params, nodes: entries });
        return;
      }
      ctx.stderr.write(planTable(entries, ctx.stderr));
    });
}

function planTable(entries: PlanEntry[], stream: NodeJS.WritableStream): string {
  const c = colorsFor(stream);
  const table = createTable(['node', 'task', 'state', 'why'], stream);
  const paint = { cached: c.blue, stale: c.yellow, new: c.green } as const;
  for (const e of entries) table.push([e.id, e.task, paint[e.state](e.state), e.reasons.join('\n') || (e.state === 'cached' ? '' : '-')]);
  const counts = (['cached', 'stale', 'new'] as const).map((s) => `${entries.filter((e) => e.state === s).length} ${s}`).join(', ');
  return `${table.toString()}\n${counts}\n`;
}
