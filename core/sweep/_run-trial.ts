/**
 * One trial of a study: a run of the DAG with the trial's params in the study's session, watched on
 * its event stream. Each step event of the pruned-on metric updates the trial's intermediate value
 * (the mean over the training nodes — the folds — that reached the step) and asks the pruner right
 * there, in the stream; a prune aborts the run with a PrunedError, which ends it `pruned`.
 */
import type { DagDefinition } from '../dag/types.ts';
import type { RunSummary, Session } from '../engine/types.ts';
import { PrunedError, ValidationError } from '../errors.ts';
import type { StudyStore } from '../store/study-store.ts';
import type { TrialRecord } from '../store/study-types.ts';
import type { ResolvedSweep } from './define-sweep.ts';
import { readObjective } from './objective.ts';
import { foldMeanAt } from './pruners/fold-mean.ts';
import type { Pruner, PrunerTrial } from './pruners/types.ts';

/** How a trial's run went. `cancelled`: the study was stopped (Ctrl-C) while it ran. */
export interface TrialOutcome {
  state: 'complete' | 'pruned' | 'failed' | 'cancelled';
  value: number | null;
  error: string | null;
  /** The objective path is not in the results: the study must stop (exit 2). */
  objectiveError?: ValidationError;
  /** Failed on bad input or a bad param combination (error code VALIDATION/DATA). */
  inputError?: boolean;
  /** Cache keys of the nodes that failed: the same key failing in two trials will fail in every trial. */
  failedKeys?: Array<{ node: string; key: string }>;
  prunedStep: number | null;
  runId: string | null;
  /** Nodes this trial's run executed (not served from the cache or another trial's execution). */
  executed: number;
  cached: number;
  summary?: RunSummary;
}

export interface TrialRunContext {
  session: Session;
  dag: DagDefinition;
  sweep: ResolvedSweep;
  store: StudyStore;
  pruner: Pruner;
  /** The DAG params of this trial: fixed ∪ trial params ∪ its own output folder. */
  dagParams: Record<string, unknown>;
  cwd: string;
  file?: string;
  /** The study's stop signal (Ctrl-C): cancels this trial's run. */
  signal: AbortSignal;
  /** Every other trial of the study as the pruner sees it, at the moment it is asked. */
  others(): PrunerTrial[];
  /** Called once the run has an id (stored with the trial at once, so `runs show` can find it). */
  onRunId(runId: string): void;
  /** Called with each new intermediate value (for the live display). */
  onStep?(step: number, value: number): void;
}

/**
 * Runs `trial` (state `running`, params set) to its end; `trial.intermediate` and `trial.attrs` are
 * updated in place and stored as they change.
 * @example
 * const outcome = await runTrial(trial, { session, dag, sweep, store, pruner, dagParams, cwd, signal, others, onRunId });
 */
export async function runTrial(trial: TrialRecord, ctx: TrialRunContext): Promise<TrialOutcome> {
  const base = { value: null, error: null, prunedStep: null, executed: 0, cached: 0 };
  const abort = new AbortController();
  const onStop = () => abort.abort(ctx.signal.reason);
  if (ctx.signal.aborted) return { ...base, state: 'cancelled', runId: null };
  ctx.signal.addEventListener('abort', onStop, { once: true });
  let handle;
  try {
    handle = ctx.session.run(ctx.dag, ctx.dagParams, { signal: abort.signal, seed: ctx.sweep.seed, cwd: ctx.cwd, ...(ctx.file ? { file: ctx.file } : {}) });
  } catch (err) {
    // The DAG refused this combination of params at build time: the trial fails, the study goes on.
    ctx.signal.removeEventListener('abort', onStop);
    return { ...base, state: 'failed', error: (err as Error).message, inputError: err instanceof ValidationError, runId: null };
  }
  ctx.onRunId(handle.runId);
  const folds = new Map<string, Map<number, number>>();
  let prunedBy: PrunedError | undefined;
  const failedKeys: Array<{ node: string; key: string }> = [];
  const subscription = handle.events$.subscribe((event) => {
    if (event.type === 'node-failed') failedKeys.push({ node: event.node, key: event.key });
    if (event.type !== 'node-metric' || prunedBy) return;
    const v = event.metrics[ctx.sweep.pruneOn];
    if (typeof v !== 'number') return;
    let steps = folds.get(event.node);
    if (!steps) folds.set(event.node, (steps = new Map()));
    steps.set(event.step, v);
    const mean = foldMeanAt([...folds.values()], event.step)!;
    trial.intermediate[event.step] = mean;
    ctx.store.setIntermediate(trial.studyId, trial.number, event.step, mean);
    ctx.onStep?.(event.step, mean);
    const newest = Math.max(...Object.keys(trial.intermediate).map(Number));
    const decision = ctx.pruner.shouldPrune({
      trial: { number: trial.number, intermediate: trial.intermediate, attrs: trial.attrs },
      step: newest,
      direction: ctx.sweep.direction,
      trials: ctx.others(),
    });
    if (decision.attrs) {
      trial.attrs = { ...trial.attrs, ...decision.attrs };
      ctx.store.putTrial(trial);
    }
    if (decision.prune) {
      prunedBy = new PrunedError(decision.reason, { step: newest });
      abort.abort(prunedBy);
    }
  });
  let summary: RunSummary;
  try {
    summary = await handle.done;
  } finally {
    subscription.unsubscribe();
    ctx.signal.removeEventListener('abort', onStop);
  }
  const executed = summary.nodes.filter((n) => n.status === 'succeeded' && !n.cached).length;
  const cached = summary.nodes.filter((n) => n.cached).length;
  const common = { runId: handle.runId, executed, cached, summary };
  if (prunedBy && summary.status !== 'succeeded' && summary.status !== 'failed') {
    const step = prunedBy.step;
    const last = step === null ? null : trial.intermediate[step] ?? null;
    return { ...common, state: 'pruned', value: last, error: prunedBy.message, prunedStep: step };
  }
  if (summary.status === 'succeeded') {
    let value: number;
    try {
      value = readObjective(summary.outputs, ctx.sweep.objective);
    } catch (err) {
      return { ...common, state: 'failed', value: null, error: (err as Error).message, prunedStep: null, objectiveError: err as ValidationError };
    }
    // As Optuna: a NaN objective fails the trial (it cannot be ranked); ±Infinity ranks.
    if (Number.isNaN(value)) return { ...common, state: 'failed', value: null, error: `objective '${ctx.sweep.objective}' is NaN`, prunedStep: null };
    return { ...common, state: 'complete', value, error: null, prunedStep: null };
  }
  if (summary.status === 'failed') {
    const failed = summary.nodes.filter((n) => n.status === 'failed');
    const inputError = failed.length > 0 && failed.every((n) => n.errorCode === 'DATA' || n.errorCode === 'VALIDATION');
    return { ...common, state: 'failed', value: null, error: summary.failure ?? 'the run failed', prunedStep: null, inputError, failedKeys };
  }
  return { ...common, state: 'cancelled', value: null, error: null, prunedStep: null };
}
