/**
 * What an aborted run's signal says about why: a sweep's pruner aborts with a PrunedError, anything
 * else is a cancellation. Read by duck type (`code`), not `instanceof`: a sweep file loaded through
 * jiti may hold its own copy of core/errors.ts.
 */

/** Why a pruned run stopped: the pruner's message and the step it judged, if any. */
export interface PruneReason {
  message: string;
  step: number | null;
}

/**
 * The PrunedError an aborted `signal` carries, or undefined when it is not aborted or was cancelled.
 * @example
 * const controller = new AbortController();
 * controller.abort(new PrunedError('pruned at step 3: 0.6 < median 0.7', { step: 3 }));
 * pruneReason(controller.signal); // { message: 'pruned at step 3: 0.6 < median 0.7', step: 3 }
 */
export function pruneReason(signal: AbortSignal): PruneReason | undefined {
  if (!signal.aborted) return undefined;
  const r = signal.reason as { code?: unknown; message?: unknown; step?: unknown } | null | undefined;
  if (!r || typeof r !== 'object' || r.code !== 'PRUNED') return undefined;
  const step = typeof r.step === 'number' && Number.isFinite(r.step) ? r.step : null;
  return { message: typeof r.message === 'string' && r.message ? r.message : 'pruned', step };
}
