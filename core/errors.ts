/**
 * The few named errors of mlcycle. Retryability travels with the error (as in Temporal's SDK):
 * the scheduler reads `retryable`, never the class, so errors survive crossing a worker thread.
 */

/** Base class: every mlcycle error has a stable `code` for the CLI and the store. */
export class MlcycleError extends Error {
  readonly code: string = 'MLCYCLE_ERROR';
  /** Whether the scheduler may retry the node that threw it. */
  readonly retryable: boolean = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A task throws this to fail at once, without retries (bad data, a contract broken).
 * @example
 * if (!table.columnNames().includes(target)) throw new NonRetryableError(`no column '${target}'`);
 */
export class NonRetryableError extends MlcycleError {
  override readonly code: string = 'NON_RETRYABLE';
  override readonly retryable = false;
}

/**
 * The input data is not usable (a malformed file, a missing column, a schema violation): the user's
 * input is at fault, not the code or the machine. Never retried; a run that fails only on these exits
 * with code 2, like any other validation error.
 * @example
 * throw new DataError(`data/train.csv:5: line 5 has 2 fields, the header has 3`);
 */
export class DataError extends NonRetryableError {
  override readonly code: string = 'DATA';
}

/**
 * A DAG, task or parameter is invalid: raised before anything runs; never retried; CLI exit code 2.
 * @example
 * throw new ValidationError(`dag 'demo' › node 'split': params.testFraction must be <= 1, got 2`);
 */
export class ValidationError extends MlcycleError {
  override readonly code: string = 'VALIDATION';
  override readonly retryable = false;
}

/** A DAG file could not be loaded (missing, syntax error, no default export). CLI exit code 2. */
export class DagLoadError extends ValidationError {
  override readonly code: string = 'DAG_LOAD';
}

/** A node ran past its `timeoutMs`. Retryable like any transient failure. */
export class TimeoutError extends MlcycleError {
  override readonly code: string = 'TIMEOUT';
}

/** The run was cancelled (Ctrl-C, SIGTERM, or an aborted signal). Never retried. */
export class CancelledError extends MlcycleError {
  override readonly code: string = 'CANCELLED';
  override readonly retryable = false;
}

/**
 * A sweep's pruner stopped a trial early: the reason its run's signal is aborted with. The run ends
 * `pruned` (not cancelled, not failed); its running and waiting nodes end `pruned` and cache nothing.
 * `step` is the step the pruner judged, when it judged one. Never retried.
 * @example
 * controller.abort(new PrunedError('pruned at step 7: 0.71 < median 0.78', { step: 7 }));
 */
export class PrunedError extends MlcycleError {
  override readonly code: string = 'PRUNED';
  override readonly retryable = false;
  /** The step at which the trial was pruned, or null. */
  readonly step: number | null;
  constructor(message: string, options?: { step?: number | null; cause?: unknown }) {
    super(message, options);
    this.step = options?.step ?? null;
  }
}

/** A stored blob is missing or its bytes do not hash to its digest. */
export class IntegrityError extends MlcycleError {
  override readonly code: string = 'INTEGRITY';
}

/** Error codes that mean "the user's input is invalid" (exit code 2), not "the run broke". */
export const INPUT_ERROR_CODES: readonly string[] = ['VALIDATION', 'DATA', 'DAG_LOAD'];

/**
 * True when the scheduler may retry after `err` (unknown errors are transient by default).
 * @example
 * isRetryable(new DataError('bad row')); // false
 */
export function isRetryable(err: unknown): boolean {
  if (err && typeof err === 'object' && 'retryable' in err) return (err as { retryable: unknown }).retryable !== false;
  return true;
}

/** A plain, serialisable view of an error, for events, workers and the store. */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
  retryable: boolean;
  stack?: string;
}

/**
 * A plain, serialisable view of any thrown value (events, workers, the store).
 * @example
 * toErrorInfo(new TimeoutError('slow')).code; // 'TIMEOUT'
 */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      code: typeof code === 'string' ? code : undefined,
      retryable: isRetryable(err),
      stack: err.stack,
    };
  }
  return { name: 'Error', message: String(err), retryable: true };
}

/** Rebuilds an error from its serialised form (after crossing a thread), keeping retryability. */
export function fromErrorInfo(info: ErrorInfo): MlcycleError {
  const Ctor =
    info.code === 'VALIDATION' ? ValidationError
    : info.code === 'DATA' ? DataError
    : info.code === 'DAG_LOAD' ? DagLoadError
    : info.code === 'NON_RETRYABLE' ? NonRetryableError
    : info.code === 'TIMEOUT' ? TimeoutError
    : info.code === 'CANCELLED' ? CancelledError
    : info.code === 'PRUNED' ? PrunedError
    : info.code === 'INTEGRITY' ? IntegrityError
    : MlcycleError;
  const err = new Ctor(info.message);
  if (Ctor === MlcycleError && !info.retryable) Object.defineProperty(err, 'retryable', { value: false });
  err.name = info.name;
  if (info.stack) err.stack = info.stack;
  return err;
}
