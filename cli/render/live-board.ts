import { createRunState, reduceRun, type NodeRunState, type NodeStatus, type RunEvent, type RunState } from '../../core/index.ts';
import { formatDuration, formatMetrics } from './format.ts';
import { countsLine, thousands } from './summary-nodes.ts';

/** Running nodes the board shows by name (about what a terminal shows without scrolling). */
export const BOARD_RUNNING_SHOWN = 8;
/** Most recent finished nodes it shows. */
export const BOARD_RECENT_SHOWN = 5;
/** Failed nodes it names; the end-of-run summary names more. */
export const BOARD_FAILED_SHOWN = 5;

/** What a bounded live view draws: a headline and at most ~20 lines, whatever the DAG's size. */
export interface BoardView {
  /** `4,993/5,000 nodes · 4,980 cached · 8 succeeded · 2 running`. */
  headline: string;
  lines: string[];
}

/** The state of a large run, fed with its events; its view is bounded by the constants above. */
export interface LiveBoard {
  onEvent(e: RunEvent): void;
  view(): BoardView;
  /** Failed node ids in the order they failed. */
  failed(): readonly string[];
  /** The run's state, folded from the same events (see reduceRun). */
  readonly state: RunState;
}

/**
 * Counts per status, the nodes running now, the last few that finished, and the failures: enough to
 * follow a 5,000-node run, at a cost per event and per redraw that does not grow with the DAG. Node
 * state is the run's reduced state (core's reduceRun); the board keeps only its list of recent lines.
 * @example
 * const board = createLiveBoard(5000);
 * handle.events$.subscribe((e) => board.onEvent(e));
 * board.view().headline; // '12/5,000 nodes · 10 cached · 2 succeeded · 2 running'
 */
export function createLiveBoard(nodeCount: number): LiveBoard {
  const state = createRunState();
  const recent: string[] = [];
  return {
    state,
    onEvent(e) {
      reduceRun(state, e);
      if (e.type !== 'node-succeeded') return;
      recent.push(succeededLine(state.nodes.get(e.node)!));
      if (recent.length > BOARD_RECENT_SHOWN) recent.shift();
    },
    view() {
      const order: NodeStatus[] = ['failed', 'cancelled', 'pruned', 'succeeded', 'cached', 'skipped'];
      const tally = order.filter((s) => state.counts.get(s)).map((s) => [s, state.counts.get(s)!] as [string, number]);
      const done = tally.reduce((k, [, n]) => k + n, 0);
      if (state.running.size) tally.push(['running', state.running.size]);
      const headline = `${thousands(done)}/${thousands(nodeCount)} nodes${tally.length ? ` · ${countsLine(tally)}` : ''}`;
      const lines: string[] = [];
      let shown = 0;
      for (const id of state.running) {
        if (shown++ === BOARD_RUNNING_SHOWN) break;
        lines.push(runningLine(state.nodes.get(id)!));
      }
      if (state.running.size > BOARD_RUNNING_SHOWN) lines.push(`  … and ${thousands(state.running.size - BOARD_RUNNING_SHOWN)} more running`);
      lines.push(...recent);
      for (const id of state.failed.slice(0, BOARD_FAILED_SHOWN)) lines.push(`✖ ${id}: ${firstLine(state.nodes.get(id)!.error ?? '')}`);
      if (state.failed.length > BOARD_FAILED_SHOWN) lines.push(`  … and ${thousands(state.failed.length - BOARD_FAILED_SHOWN)} more failed`);
      return { headline, lines };
    },
    failed: () => state.failed,
  };
}

function succeededLine(n: NodeRunState): string {
  const extra = [n.attempts > 1 ? `${n.attempts} attempts` : '', formatMetrics(n.metrics)].filter(Boolean).join(' · ');
  return `✔ ${n.id} (${n.task}) ${formatDuration(n.durationMs)}${extra ? ` · ${extra}` : ''}`;
}

function runningLine(n: NodeRunState): string {
  const a = n.activity;
  const note = !a ? '' : a.type === 'step' ? `step ${a.step}: ${formatMetrics(a.metrics)}` : `retrying (attempt ${a.attempt} in ${formatDuration(a.delayMs)}): ${firstLine(a.error.message)}`;
  return `▸ ${n.id} (${n.task})${n.attempts > 1 ? ` attempt ${n.attempts}` : ''}${note ? ` · ${note}` : ''}`;
}

/** A board line is one terminal line: a stack trace in a message would push the rest off screen. */
function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i === -1 ? text : `${text.slice(0, i)} …`;
}
