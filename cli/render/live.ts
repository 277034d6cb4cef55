import { Listr, type ListrTaskWrapper } from 'listr2';
import { createRunState, reduceRun, type BuiltDag, type NodeRunState, type RunEvent } from '../../core/index.ts';
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
 * waiting for its node's final state. Every event is folded into the run's state (core's reduceRun)
 * and the node's row is drawn from that state. For small DAGs only (see createRenderer): listr2
 * redraws every row on every change, which on thousands of rows is quadratic and floods the terminal.
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
  const state = createRunState(dag.order.map((id) => ({ id, task: dag.nodes.get(id)!.task.name })));
  const setTitle = (row: Row, title: string) => {
    if (row.title === title) return;
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

  // A node's row as its state says: running (with its retry or last step), or its ending.
  const draw = (row: Row, n: NodeRunState) => {
    switch (n.status) {
      case 'running': {
        const a = n.activity;
        if (a?.type === 'step' && row.wrapper) row.wrapper.output = `step ${a.step}: ${formatMetrics(a.metrics)}`;
        if (a?.type === 'retrying') return setTitle(row, `${row.label} ${c.yellow(`retrying: attempt ${a.attempt} in ${formatDuration(a.delayMs)}`)} ${c.dim(a.error.message)}`);
        return setTitle(row, `${row.label} ${c.cyan('running')}${n.attempts > 1 ? ` (attempt ${n.attempts})` : ''}`);
      }
      case 'succeeded': {
        const extra = [n.attempts > 1 ? `${n.attempts} attempts` : '', formatMetrics(n.metrics)].filter(Boolean).join(' · ');
        return end(row, { kind: 'done', title: `${row.label} ${formatDuration(n.durationMs)}${extra ? c.dim(` · ${extra}`) : ''}` });
      }
      case 'cached':
        return end(row, { kind: 'skip', title: `${row.label} cached${n.metrics ? c.dim(` · ${formatMetrics(n.metrics)}`) : ''}` });
      case 'failed':
        return end(row, { kind: 'fail', message: `${n.id}: ${n.error}` });
      case 'skipped':
        return end(row, { kind: 'skip', title: `${row.label} skipped: ${n.reason}` });
      case 'cancelled':
        return end(row, { kind: 'skip', title: `${row.label} cancelled` });
      case 'pruned':
        return end(row, { kind: 'skip', title: `${row.label} pruned` });
      default:
        return;
    }
  };

  return {
    onEvent(e: RunEvent) {
      reduceRun(state, e);
      if (!('node' in e) || e.type === 'node-log') return;
      const row = rows.get(e.node);
      const n = state.nodes.get(e.node);
      if (row && n) draw(row, n);
    },
    async close() {
      // Rows the run never reached (a cancelled run) still need an end, or listr2 would wait forever.
      for (const row of rows.values()) end(row, { kind: 'skip', title: `${row.label} not run` });
      await running;
    },
  };
}
