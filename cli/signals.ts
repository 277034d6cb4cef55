/**
 * Ctrl-C and SIGTERM cancel the run through an AbortSignal, so running nodes see `ctx.signal`
 * aborted and the engine records the run as cancelled. A second Ctrl-C means "now": exit at once.
 */
export function installCancelHandlers(stderr: NodeJS.WritableStream): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      stderr.write(`\n${name} again: exiting now; the run stays recorded as running until the next run resumes it.\n`);
      process.exit(130);
    }
    stderr.write(`\n${name}: cancelling the run… (press Ctrl-C again to exit at once)\n`);
    controller.abort(new Error(`cancelled by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
