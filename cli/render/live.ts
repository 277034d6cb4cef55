import { Listr, type ListrTaskWrapper } from 'listr2';
import type { BuiltDag, RunEvent } from '../../core/index.ts';
import { colorsFor, formatDuration, formatMetrics } from './format.ts';
import type { Renderer } from './renderer.ts';
import { stderrListrOptions } from './_listr-stderr.ts';

/** How a node's row ends. */
type Outcome =
  | { kind: 'done'; title: string }
  | { kind: 'skip'; title: string }
  | { kind: 'fail'; message: string };

interface Row {
  label: string;
  wrapper?: ListrTaskWrapper<unknown, any, any>;
  title: string;
  finish(outcome: Outcome): void;
  finished: Promise<Outcome>;
  ended: boolean;
}

/**
 * A live per-node view with listr2: one row per node, all started at once (concurrent) and each
 * waiting for its node's final event. For small DAGs only (see createRenderer): listr2 redraws every
 * row on every change, which on thousands of rows is quadratic and floods the terminal.
 * @example
 * const renderer = createLiveRenderer(built, process.stderr);
 */
export function createLiveRenderer(dag: BuiltDag, stream: NodeJS.WriteStream): Renderer {
  const c = colorsFor(stream);
  const rows = new Map<string, Row>();
  for (const id of dag.order) {
    let finish!: (o: Outcome) => void;
    const finished = new Promise<Outcome>((resolve) => (finish = resolve));
    const label = `${id} ${c.dim(`(${dag.nodes.get(id)!.task.name})`)}`;
    rows.set(id, { label, title: `${label} ${c.dim('pending')}`, finish, finished, ended: false });
  }
  const setTitle = (row: Row, title: string) => {
    row.title = title;
    if (row.wrapper) row.wrapper.title = title;
  };
  const end = (row: Row | undefined, outcome: Outcome) => {
    if (!row || row.ended) return;
    row.ended = true;
    row.finish(outcome);
  };

  const listr = new Listr(
    [...rows.values()].map((row) => ({
      title: row.title,
      task: async (_ctx: unknown, wrapper: ListrTaskWrapper<unknown, any, any>) => {
        row.wrapper = wrapper;
        wrapper.title = row.title;
        const outcome = await row.finished;
        if (outcome.kind === 'fail') {
          wrapper.title = row.label;
          throw new Error(outcome.message);
        }
        if (outcome.kind === 'skip') {
          wrapper.title = row.label;
          wrapper.skip(outcome.title);
        }
        else wrapper.title = outcome.title;
      },
    })),
    stderrListrOptions(stream),
  );
  const running = listr.run().catch(() => undefined);

  return {
    onEvent(e: RunEvent) {
      if (!('node' in e)) return;
      const row = rows.get(e.node);
      if (!row) return;
      switch (e.type) {
        case 'node-started':
          return setTitle(row, `${row.label} ${c.cyan('running')}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
        case 'node-metric':
          if (row.wrapper) row.wrapper.output = `step ${e.step}: ${formatMetrics(e.metrics)}`;
          return;
        case 'node-retrying':
          return setTitle(row, `${row.label} ${c.yellow(`retrying: attempt ${e.attempt} in ${formatDuration(e.delayMs)}`)} ${c.dim(e.error.message)}`);
        case 'node-succeeded': {
          const extra = [e.attempts > 1 ? `${e.attempts} attempts` : '', formatMetrics(e.metrics)].filter(Boolean).join(' · ');
          return end(row, { kind: 'done', title: `${row.label} ${formatDuration(e.durationMs)}${extra ? c.dim(` · ${extra}`) : ''}` });
        }
        case 'node-cached':
          return end(row, { kind: 'skip', title: `${row.label} cached${e.metrics ? c.dim(` · ${formatMetrics(e.metrics)}`) : ''}` });
        case 'node-failed':
          return end(row, { kind: 'fail', message: `${e.node}: ${e.error.message}` });
        case 'node-skipped':
          return end(row, { kind: 'skip', title: `${row.label} skipped: ${e.reason}` });
        case 'node-cancelled':
          return end(row, { kind: 'skip', title: `${row.label} cancelled` });
        case 'node-pruned':
          return end(row, { kind: 'skip', title: `${row.label} pruned` });
        default:
          return;
      }
    },
    async close() {
      // Rows the run never reached (a cancelled run) still need an end, or listr2 would wait forever.
      for (const row of rows.values()) end(row, { kind: 'skip', title: `${row.label} not run` });
      await running;
    },
  };
}
