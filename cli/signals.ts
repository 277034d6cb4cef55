/**
 * Ctrl-C and SIGTERM cancel the run through an AbortSignal, so running nodes see `ctx.signal`
 * aborted and the engine records the run as cancelled. A second Ctrl-C means "now": exit at once;
 * the run store ends the record as interrupted on the way out (run-lease.ts), and were even that
 * impossible (kill -9), the next command that opens the workspace marks the dead run interrupted.
 */
export function installCancelHandlers(stderr: NodeJS.WritableStream, what: 'run' | 'study' = 'run'): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      stderr.write(`\n${name} again: exiting now; the ${what} is recorded as interrupted. Re-run the same command to resume: completed ${what === 'run' ? 'nodes are cache hits' : 'trials are kept'}.\n`);
      process.exit(130);
    }
    stderr.write(`\n${name}: cancelling the ${what}… (press Ctrl-C again to exit at once)\n`);
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
