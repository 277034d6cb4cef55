import type { BuiltDag } from '../../core/index.ts';
import { createBoundedLiveRenderer } from './live-bounded.ts';
import { createLiveRenderer } from './live.ts';
import { createPlainRenderer } from './plain.ts';
import type { Renderer } from './renderer.ts';

/**
 * Most nodes drawn as one live row each. Above it (or above what the terminal can show without
 * scrolling, which garbles a redrawn view) the live view counts nodes and lists only the running,
 * recent and failed ones.
 */
export const LIVE_ROW_LIMIT = 30;

/**
 * A live view when stderr is a terminal, plain event lines otherwise. Keyed on stderr, not
 * stdout: `mlcycle run --json > out.json` in a terminal still deserves the live view.
 * @example
 * const renderer = createRenderer(built, process.stderr);
 * handle.events$.subscribe((e) => renderer.onEvent(e));
 * await handle.done;
 * await renderer.close();
 */
export function createRenderer(dag: BuiltDag, stream: NodeJS.WritableStream): Renderer {
  const debug = Boolean(process.env.MLCYCLE_DEBUG);
  const tty = stream as NodeJS.WriteStream;
  // A terminal that reports no width (some CI ptys) would make listr2 wrap every character.
  if (tty.isTTY && (tty.columns ?? 0) > 0 && !process.env.CI) {
    const rows = tty.rows > 0 ? tty.rows - 4 : LIVE_ROW_LIMIT;
    return dag.order.length <= Math.min(LIVE_ROW_LIMIT, rows) ? createLiveRenderer(dag, tty) : createBoundedLiveRenderer(dag, tty);
  }
  return createPlainRenderer(stream, { debug });
}
