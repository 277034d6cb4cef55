import { Option, type Command } from 'commander';
import type { CliContext } from '../context.ts';
import { loadDag } from '../load-dag.ts';
import { collect, parseParamFlags } from '../params.ts';
import { graphDot, graphMermaid, graphText } from '../render/graph.ts';

/**
 * `mlcycle graph <file>`: the DAG's nodes and wires as text, Mermaid or DOT, on stdout so it can be
 * piped (`mlcycle graph d.ts --format dot | dot -Tsvg`). Never opens the workspace.
 */
export function registerGraph(program: Command, ctx: CliContext): void {
  program
    .command('graph')
    .description('print the DAG: node ids, task names, and edges labelled by ports')
    .argument('<file>', 'DAG file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'mermaid', 'dot']).default('text'))
    .option('-p, --param <name=value>', 'override a DAG parameter (the shape may depend on params)', collect, [])
    .action(async (file: string, flags: { format: 'text' | 'mermaid' | 'dot'; param: string[] }) => {
      const built = await loadDag(ctx, file, { params: parseParamFlags(flags.param), cwd: ctx.cwd });
      const render = flags.format === 'mermaid' ? graphMermaid : flags.format === 'dot' ? graphDot : graphText;
      ctx.stdout.write(render(built));
    });
}
