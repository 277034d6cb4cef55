import type { RunEvent } from '../../core/index.ts';
import { colorsFor, formatDuration, formatMetrics } from './format.ts';
import { createQuietBurst } from './quiet-burst.ts';
import { thousands } from './summary-nodes.ts';
import type { Renderer } from './renderer.ts';

/** Least time between two printed per-step metric lines of one node. */
export const METRIC_INTERVAL_MS = 1000;

/**
 * One line per event: for logs, CI and pipes, where redrawing a live view would garble the output.
 * Lines start with a symbol so they can be grepped: ✓ done, ↺ cached, ✗ failed, … retrying, ⊘ cancelled, ✂ pruned.
 * Nodes that did no work (cache hits, skips) come in bursts of thousands on a large DAG: a burst of
 * more than BURST_LIST_MAX becomes one line (`↺ cached 4,990 nodes: a, b, c … and 4,987 more`), in
 * its place among the lines of work; MLCYCLE_DEBUG=1 prints one line per node again.
 * @example
 * const renderer = createPlainRenderer(process.stderr);
 * handle.events$.subscribe((e) => renderer.onEvent(e));
 */
export function createPlainRenderer(stream: NodeJS.WritableStream, options: { debug?: boolean } = {}): Renderer {
  const c = colorsFor(stream);
  const write = (text: string) => stream.write(`${text}\n`);
  const burst = createQuietBurst({ write, symbols: { cached: c.blue('↺'), skipped: c.dim('-') }, listEach: options.debug });
  // Every other line ends the burst first, so the log keeps the order things happened in.
  const line = (text: string) => {
    burst.flush();
    write(text);
  };
  // Per-step metrics (epochs) can come hundreds a second: print at most one line per node per
  // interval, and the last step held back when the node ends, so logs stay readable.
  const lastPrinted = new Map<string, number>();
  const held = new Map<string, string>();
  const flushHeld = (node: string) => {
    const text = held.get(node);
    if (text) line(text);
    held.delete(node);
  };
  return {
    onEvent(e: RunEvent) {
      if ('node' in e && e.type !== 'node-metric' && e.type !== 'node-log') flushHeld(e.node);
      switch (e.type) {
        case 'run-started':
          return line(`${c.bold('▶')} run ${e.runId} · dag '${e.dag}' · ${thousands(e.nodeCount)} node${e.nodeCount === 1 ? '' : 's'} · ${e.executor} ×${e.concurrency}`);
        case 'node-started':
          return line(`${c.cyan('▸')} ${e.node} ${c.dim(`(${e.task})`)}${e.attempt > 1 ? ` attempt ${e.attempt}` : ''}`);
        case 'node-succeeded': {
          const extra = [e.attempts > 1 ? `after ${e.attempts} attempts` : '', formatMetrics(e.metrics)].filter(Boolean).join(' · ');
          return line(`${c.green('✓')} ${e.node} ${c.dim(`(${e.task})`)} ${formatDuration(e.durationMs)}${extra ? ` · ${extra}` : ''}`);
        }
        case 'node-cached':
          return burst.add({ kind: 'cached', node: e.node, line: `${c.blue('↺')} cached ${e.node}${e.metrics ? ` · ${formatMetrics(e.metrics)}` : ''}` });
        case 'node-failed':
          return line(`${c.red('✗')} ${e.node}: ${e.error.message}`);
        case 'node-retrying':
          return line(`${c.yellow('…')} retrying ${e.node} (attempt ${e.attempt} in ${formatDuration(e.delayMs)}): ${e.error.message}`);
        case 'node-skipped':
          return burst.add({ kind: 'skipped', node: e.node, reason: e.reason, line: `${c.dim('-')} skipped ${e.node}: ${e.reason}` });
        case 'node-cancelled':
          return line(`${c.yellow('⊘')} cancelled ${e.node}`);
        case 'node-pruned':
          return line(`${c.yellow('✂')} pruned ${e.node}: ${e.reason}`);
        case 'node-metric': {
          const text = `  ${e.node} step ${e.step}: ${formatMetrics(e.metrics)}`;
          if (e.at - (lastPrinted.get(e.node) ?? 0) < METRIC_INTERVAL_MS) return void held.set(e.node, text);
          lastPrinted.set(e.node, e.at);
          held.delete(e.node);
          return line(text);
        }
        case 'node-log':
          if (e.level === 'debug' && !options.debug) return;
          return line(`  ${c.dim(`[${e.node}]`)} ${e.level === 'warn' ? c.yellow(e.message) : e.message}`);
        case 'run-finished':
          return burst.flush();
        default:
          return;
      }
    },
    close: async () => {
      burst.flush();
      burst.dispose();
    },
  };
}
