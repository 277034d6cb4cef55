import type { BuiltDag } from '../../core/index.ts';
import { createLiveRenderer } from './live.ts';
import { createPlainRenderer } from './plain.ts';
import type { Renderer } from './renderer.ts';

/**
 * A live per-node view when stderr is a terminal, plain event lines otherwise. Keyed on stderr, not
 * stdout: `mlcycle run --json > out.json` in a terminal still deserves the live view.
 */
export function createRenderer(dag: BuiltDag, stream: NodeJS.WritableStream): Renderer {
  const debug = Boolean(process.env.MLCYCLE_DEBUG);
  const tty = stream as NodeJS.WriteStream;
  // A terminal that reports no width (some CI ptys) would make listr2 wrap every character.
  if (tty.isTTY && (tty.columns ?? 0) > 0 && !process.env.CI) return createLiveRenderer(dag, tty);
  return createPlainRenderer(stream, { debug });
}
