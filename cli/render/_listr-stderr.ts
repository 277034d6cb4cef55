import { DefaultRenderer, ListrLogger, ProcessOutput } from 'listr2';

/**
 * listr2's default renderer, allowed when stdout is not a terminal. listr2 picks its renderer from
 * process.stdout.isTTY, but our view lives on stderr: `mlcycle run --json > out.json` in a terminal
 * must keep the live view and leave stdout holding only JSON.
 */
export class StderrRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/**
 * Listr options shared by both live views. listr2 only drives the display; the engine drives the
 * run, which is why rows never fail the Listr itself (exitOnError: false) and why listr2's own
 * signal handling is off (Ctrl-C belongs to signals.ts).
 * @example
 * new Listr(tasks, stderrListrOptions(process.stderr));
 */
export function stderrListrOptions(stream: NodeJS.WriteStream) {
  return {
    renderer: StderrRenderer,
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    fallbackRendererCondition: false,
    collectErrors: false as const,
    rendererOptions: {
      // The view goes to stderr: stdout is reserved for `--json`. The default renderer writes
      // through its logger's ProcessOutput, so that is where the stream is set.
      logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(stream, stream) }),
      collapseErrors: false,
      // One line per skipped or cached row: `↓ train (algorithms/mlp) cached`.
      collapseSkips: true,
    },
  };
}
