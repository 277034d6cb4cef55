/** Process exit codes, as DESIGN §7 fixes them. */
export const ExitCode = {
  ok: 0,
  /** The run failed (a node failed), or `cache verify` found damage. */
  failed: 1,
  /** Bad usage, a DAG file that does not load, or a DAG that does not validate. */
  usage: 2,
  /** `monitor`: the data has drifted (at least the --drift-share of its features); the check itself succeeded. */
  drift: 3,
  /** Cancelled by Ctrl-C / SIGTERM (128 + SIGINT, as shells report it). */
  cancelled: 130,
} as const;

/**
 * A usage error raised by the CLI itself (a malformed `--param`, an unknown run id). Its message is
 * printed as is and the process exits with code 2. Distinct from core's ValidationError so the CLI
 * need not load core to raise it.
 */
export class UsageError extends Error {
  readonly code = 'USAGE';
}
