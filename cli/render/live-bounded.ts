import { Listr, type ListrTaskWrapper } from 'listr2';
import type { BuiltDag, RunEvent } from '../../core/index.ts';
import { stderrListrOptions } from './_listr-stderr.ts';
import { createLiveBoard } from './live-board.ts';
import type { Renderer } from './renderer.ts';
import { nameList, thousands } from './summary-nodes.ts';

/** Least time between two redraws: events of a cached run come thousands a second. */
export const BOARD_REDRAW_MS = 100;

/**
 * The live view for DAGs too large for a row per node: one listr2 row whose title counts nodes per
 * status and whose output lists the nodes running now, the last few that finished and the failures
 * (see live-board.ts). Its size and its cost per redraw do not grow with the DAG; redraws are
 * throttled. The end-of-run summary follows it with the full picture.
 * @example
 * const renderer = createBoundedLiveRenderer(built, process.stderr);
 */
export function createBoundedLiveRenderer(dag: BuiltDag, stream: NodeJS.WriteStream): Renderer {
  const board = createLiveBoard(dag.order.length);
  let wrapper: ListrTaskWrapper<unknown, any, any> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const draw = () => {
    timer = undefined;
    if (!wrapper) return;
    const { headline, lines } = board.view();
    wrapper.title = `${dag.name} · ${headline}`;
    wrapper.output = lines.join('\n');
  };
  const scheduleDraw = () => {
    if (!timer) timer = setTimeout(draw, BOARD_REDRAW_MS);
  };

  const listr = new Listr(
    [
      {
        title: `${dag.name} · 0/${thousands(dag.order.length)} nodes`,
        task: async (_ctx: unknown, w: ListrTaskWrapper<unknown, any, any>) => {
          wrapper = w;
          draw();
          await finished;
          if (timer) clearTimeout(timer);
          draw();
          // The running/recent lines go with the live phase; the summary below names what matters.
          w.output = '';
          const failed = board.failed();
          if (failed.length) throw new Error(`failed: ${nameList(failed, 5)}`);
          const { status } = board.state;
          if (status === 'cancelled' || status === 'pruned') w.skip(`${w.title} · ${status}`);
        },
      },
    ],
    stderrListrOptions(stream),
  );
  const running = listr.run().catch(() => undefined);

  return {
    onEvent(e: RunEvent) {
      board.onEvent(e);
      scheduleDraw();
    },
    async close() {
      finish();
      await running;
      if (timer) clearTimeout(timer);
    },
  };
}
