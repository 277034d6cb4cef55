import { catchError, defer, map, Observable, of, retry, throwError, timeout, timer } from 'rxjs';
import type { DagNode } from '../dag/types.ts';
import { CancelledError, TimeoutError, isRetryable } from '../errors.ts';
import type { ExecRequest, Executor, ExecResult } from '../executors/types.ts';
import type { FlightEnd, FlightEvent } from './in-flight.ts';
import { resolveRetry, retryDelayMs } from './retry-policy.ts';

/** What the attempts of one node need: where to run, what to send, and the session's shared counters. */
export interface AttemptsSpec {
  node: DagNode;
  executor: Executor;
  /** The request without its per-attempt fields. */
  request: Omit<ExecRequest, 'attempt' | 'threads'>;
  /** The cores to share out as TaskContext.threads among the attempts executing at once. */
  concurrency: number;
  /** Attempts executing right now, across the session. */
  inFlight: { count: number };
}

/**
 * Executes a node with its retry policy and timeout as RxJS operators, and emits exactly one
 * FlightEnd (a failure is a value, not an error). Unsubscribing aborts the attempt in progress;
 * the executor then stores nothing.
 * @example
 * nodeAttempts(spec, (e) => console.log(e.type)).subscribe((end) => console.log(end.ok, end.attempts));
 */
export function nodeAttempts(spec: AttemptsSpec, say: (event: FlightEvent) => void): Observable<FlightEnd> {
  const { node, executor } = spec;
  const policy = resolveRetry(node.task.retry);
  const started = Date.now();
  let attempt = 0;

  const oneAttempt = defer(() => {
    attempt++;
    say({ type: 'attempt', attempt });
    const exec$ = new Observable<ExecResult>((sub) => {
      spec.inFlight.count++;
      const threads = Math.max(1, Math.floor(spec.concurrency / spec.inFlight.count));
      const controller = new AbortController();
      let settled = false;
      executor
        .execute(
          { ...spec.request, attempt, threads },
          {
            signal: controller.signal,
            onLog: (level, message) => say({ type: 'log', level, message }),
            onReport: (step, metrics) => say({ type: 'report', step, metrics }),
          },
        )
        .then(
          (r) => { settled = true; sub.next(r); sub.complete(); },
          (e) => { settled = true; sub.error(e); },
        );
      // Unsubscribing before the attempt settled (timeout, every waiting run cancelled) aborts it.
      return () => {
        spec.inFlight.count--;
        if (!settled && !controller.signal.aborted) controller.abort(new CancelledError('attempt abandoned'));
      };
    });
    return node.task.timeoutMs
      ? exec$.pipe(timeout({ first: node.task.timeoutMs, with: () => throwError(() => new TimeoutError(`node '${node.id}' timed out after ${node.task.timeoutMs} ms`)) }))
      : exec$;
  });

  return oneAttempt.pipe(
    retry({
      count: policy.maxAttempts - 1,
      delay: (err, retryCount) => {
        if (!isRetryable(err)) return throwError(() => err);
        const delayMs = retryDelayMs(policy, retryCount);
        say({ type: 'retrying', attempt: retryCount + 1, delayMs, error: err });
        return timer(delayMs);
      },
    }),
    map((result): FlightEnd => ({ ok: true, result, attempts: attempt, durationMs: Date.now() - started })),
    catchError((error) => of<FlightEnd>({ ok: false, error, attempts: attempt, durationMs: Date.now() - started })),
  );
}
