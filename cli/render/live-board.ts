import type { RunEvent } from '../../core/index.ts';
import { formatDuration, formatMetrics } from './format.ts';
import { countsLine, thousands } from './summary-nodes.ts';

/** Running nodes the board shows by name (about what a terminal shows without scrolling). */
export const BOARD_RUNNING_SHOWN = 8;
/** Most recent finished nodes it shows. */
export const BOARD_RECENT_SHOWN = 5;
/** Failed nodes it names; the end-of-run summary names more. */
export const BOARD_FAILED_SHOWN = 5;

interface Running {
  task: string;
  attempt: number;
  note: string;
}

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
}

/**
 * Counts per status, the nodes running now, the last few that finished, and the failures: enough to
 * follow a 5,000-node run, at a cost per event and per redraw that does not grow with the DAG.
 * @example
 * const board = createLiveBoard(5000);
 * handle.events$.subscribe((e) => board.onEvent(e));
 * board.view().headline; // '12/5,000 nodes · 10 cached · 2 succeeded · 2 running'
 */
export function createLiveBoard(nodeCount: number): LiveBoard {
  const counts = new Map<string, number>();
  const running = new Map<string, Running>();
  const recent: string[] = [];
  const failures: Array<{ node: string; message: string }> = [];
  const bump = (status: string) => counts.set(status, (counts.get(status) ?? 0) + 1);
  const finish = (node: string, status: string, line?: string) => {
    running.delete(node);
    bump(status);
    if (!line) return;
    recent.push(line);
    if (recent.length > BOARD_RECENT_SHOWN) recent.shift();
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'node-started':
          return void running.set(e.node, { task: e.task, attempt: e.attempt, note: '' });
        case 'node-metric': {
          const r = running.get(e.node);
          if (r) r.note = `step ${e.step}: ${formatMetrics(e.metrics)}`;
          return;
        }
        case 'node-retrying': {
          const r = running.get(e.node);
          if (r) r.note = `retrying (attempt ${e.attempt} in ${formatDuration(e.delayMs)}): ${firstLine(e.error.message)}`;
          return;
        }
        case 'node-succeeded': {
          const extra = [e.attempts > 1 ? `${e.attempts} attempts` : '', formatMetrics(e.metrics)].filter(Boolean).join(' · ');
          return finish(e.node, 'succeeded', `✔ ${e.node} (${e.task}) ${formatDuration(e.durationMs)}${extra ? ` · ${extra}` : ''}`);
        }
        case 'node-failed':
          failures.push({ node: e.node, message: firstLine(e.error.message) });
          return finish(e.node, 'failed');
        case 'node-cached':
          return finish(e.node, 'cached');
        case 'node-skipped':
          return finish(e.node, 'skipped');
        case 'node-cancelled':
          return finish(e.node, 'cancelled');
        case 'node-pruned':
          return finish(e.node, 'pruned');
        default:
          return;
      }
    },
    view() {
      let done = 0;
      for (const k of counts.values()) done += k;
      const order = ['failed', 'cancelled', 'pruned', 'succeeded', 'cached', 'skipped'];
      const tally = order.filter((s) => counts.get(s)).map((s) => [s, counts.get(s)!] as [string, number]);
      if (running.size) tally.push(['running', running.size]);
      const headline = `${thousands(done)}/${thousands(nodeCount)} nodes${tally.length ? ` · ${countsLine(tally)}` : ''}`;
      const lines: string[] = [];
      let shown = 0;
      for (const [node, r] of running) {
        if (shown++ === BOARD_RUNNING_SHOWN) break;
        lines.push(`▸ ${node} (${r.task})${r.attempt > 1 ? ` attempt ${r.attempt}` : ''}${r.note ? ` · ${r.note}` : ''}`);
      }
      if (running.size > BOARD_RUNNING_SHOWN) lines.push(`  … and ${thousands(running.size - BOARD_RUNNING_SHOWN)} more running`);
      lines.push(...recent);
      for (const f of failures.slice(0, BOARD_FAILED_SHOWN)) lines.push(`✖ ${f.node}: ${f.message}`);
      if (failures.length > BOARD_FAILED_SHOWN) lines.push(`  … and ${thousands(failures.length - BOARD_FAILED_SHOWN)} more failed`);
      return { headline, lines };
    },
    failed: () => failures.map((f) => f.node),
  };
}

/** A board line is one terminal line: a stack trace in a message would push the rest off screen. */
function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i === -1 ? text : `${text.slice(0, i)} …`;
}
