/**
 * The study loop: asks the sampler for params, runs each trial as a run of the same DAG in one
 * session (so a node key needed by several trials executes once, even when they run at once), stores
 * every trial as it starts, steps and ends, and keeps `parallel` trials going until the study holds
 * its number of trials. A study stopped by `kill -9` or Ctrl-C resumes where it was: finished trials
 * are kept, the ones that were running are run again with their own number and params (cache hits
 * for what they had finished).
 */
import path from 'node:path';
import type { BuiltDag, DagDefinition } from '../dag/types.ts';
import type { Session } from '../engine/types.ts';
import { CancelledError, MlcycleError, ValidationError } from '../errors.ts';
import type { StudyStore } from '../store/study-store.ts';
import type { StudyRecord, TrialRecord } from '../store/study-types.ts';
import type { ResolvedSweep } from './define-sweep.ts';
import { openStudy, studyConfig } from './open-study.ts';
import { runTrial, type TrialOutcome } from './_run-trial.ts';
import { createPruner } from './pruners/create-pruner.ts';
import type { PrunerTrial } from './pruners/types.ts';
import { createSampler } from './samplers/create-sampler.ts';
import { gridSize } from './samplers/grid.ts';
import { SpaceExhaustedError, type FinishedTrial } from './samplers/types.ts';
import { checkSpace } from './space-check.ts';
import { paramsKey, trialParamsErrors } from './space-walk.ts';
import type { TrialParams } from './space.ts';
import type { StudyEvent, StudyResult } from './study-types.ts';
import { bestOf } from './best-trial.ts';

export interface RunStudyOptions {
  session: Session;
  store: StudyStore;
  dag: DagDefinition;
  sweep: ResolvedSweep;
  /** The folder the DAG's relative paths resolve against. */
  cwd: string;
  /** The DAG (or sweep) file, recorded with the study and its runs. */
  file?: string;
  /** Continue this study (id or name); it must exist. */
  resume?: string;
  /** Ctrl-C: running trials are cancelled and left to be run again on resume. */
  signal?: AbortSignal;
  /**
   * The DAG param naming its output folder, set per trial to `<home>/sweeps/<study>/trial-<n>` so
   * trials never overwrite each other's exports. Default: `out` when the DAG has a string param so named.
   */
  outParam?: string | null;
  onEvent?(event: StudyEvent): void;
}

/**
 * Runs (or resumes) a study to its end. Rejects with a ValidationError, before any trial runs, for a
 * space that does not fit the DAG or enqueued params that do not fit the space; and after the first
 * trial that succeeds without the objective in its results (no later trial could have it).
 * @example
 * const session = openSession({ home: '.mlcycle' });
 * const store = openStudyStore(path.join(session.home, 'mlcycle.db'));
 * const result = await runStudy({ session, store, dag: tabular, sweep: resolveSweep(options), cwd: process.cwd() });
 */
export async function runStudy(options: RunStudyOptions): Promise<StudyResult> {
  const { store, dag, sweep } = options;
  const emit = options.onEvent ?? (() => {});
  const file = options.file ?? null;
  const checked = checkSweep(dag, sweep, options);
  const outParam = options.outParam === undefined ? checked.outParam : options.outParam;

  const config = studyConfig(sweep, dag.name, file, options.cwd);
  const { study, resumed } = openStudy(store, config, { name: sweep.name, resume: options.resume });
  const lease = store.claimStudy(study.id);
  try {
    store.updateStudy(study.id, { status: 'running', finishedAt: null, error: null, trials: sweep.trials, parallel: sweep.parallel });
    return await loop({ ...options, emit, study: { ...study, trials: sweep.trials, parallel: sweep.parallel }, resumed, outParam });
  } catch (err) {
    // A study that stopped on an error ends failed (with it), not interrupted: the next command says why.
    store.updateStudy(study.id, { status: 'failed', finishedAt: Date.now(), error: (err as Error).message });
    throw err;
  } finally {
    lease.release();
  }
}

interface LoopOptions extends RunStudyOptions {
  emit(event: StudyEvent): void;
  study: StudyRecord;
  resumed: boolean;
  outParam: string | null;
}

async function loop(o: LoopOptions): Promise<StudyResult> {
  const { store, sweep, study, emit } = o;
  const sampler = createSampler(sweep.sampler, sweep.seed);
  const pruner = createPruner(sweep.pruner as never);
  // Ctrl-C, or the study halting itself (an objective no trial can have): running trials are cancelled.
  const halt = new AbortController();
  const stop = o.signal ? AbortSignal.any([o.signal, halt.signal]) : halt.signal;
  const trials = new Map<number, TrialRecord>(store.trials(study.id).map((t) => [t.number, t]));
  // Trials a crash or Ctrl-C left unfinished run again first, as they were.
  const rerun = [...trials.values()].filter((t) => t.state === 'running' || t.state === 'queued').sort((a, b) => a.number - b.number);
  // Until they start again they are queued: not running trials for the pruner to compare with.
  for (const t of rerun) t.state = 'queued';
  const tried = new Set([...trials.values()].map((t) => paramsKey(t.params)));
  const queued: TrialParams[] = sweep.enqueue.filter((p) => !tried.has(paramsKey(p)));
  let next = Math.max(-1, ...trials.keys()) + 1;
  const running = new Map<number, Promise<void>>();
  let executed = 0;
  let cached = 0;
  let stopError: Error | undefined;
  // While no trial has finished well: the failed node keys every finished trial shares. When trials
  // with different params all fail at one key, the swept params do not reach that node, and every
  // trial would fail there (a missing column, a bad fixed param): the study stops instead.
  let sharedFailure: Map<string, string> | undefined;
  const failedParams = new Set<string>();
  let inputFailures = 0;
  let exhausted = false;

  const finished = () => [...trials.values()].filter((t) => t.state === 'complete' || t.state === 'pruned' || t.state === 'failed');
  emit({ type: 'study-started', study, resumed: o.resumed, finished: finished().length, rerun: rerun.length });

  const start = (): boolean => {
    let trial: TrialRecord;
    const again = rerun.shift();
    if (again) {
      trial = { ...again, state: 'running', startedAt: Date.now(), finishedAt: null, value: null, error: null, prunedStep: null, runId: null, intermediate: {}, attrs: {} };
    } else {
      let params: TrialParams;
      const enq = queued.shift();
      if (enq) params = { ...enq };
      else {
        try {
          params = sampler.sample({
            space: sweep.space, direction: sweep.direction, trialNumber: next,
            finished: finished().map(asFinished),
            running: [...running.keys()].map((n) => ({ number: n, params: trials.get(n)!.params })),
          });
        } catch (err) {
          if (err instanceof SpaceExhaustedError) {
            exhausted = true;
            return false;
          }
          throw err;
        }
      }
      trial = {
        studyId: study.id, number: next++, params, state: 'running', value: null, intermediate: {}, attrs: {},
        runId: null, startedAt: Date.now(), finishedAt: null, error: null, prunedStep: null,
      };
    }
    trials.set(trial.number, trial);
    store.putTrial(trial);
    emit({ type: 'trial-started', trial, rerun: !!again });
    const dagParams = {
      ...sweep.fixed, ...trial.params,
      ...(o.outParam ? { [o.outParam]: path.join(o.session.home, 'sweeps', study.name, `trial-${trial.number}`) } : {}),
    };
    const done = runTrial(trial, {
      session: o.session, dag: o.dag, sweep, store, pruner, dagParams, cwd: o.cwd, file: o.file, signal: stop,
      others: () => [...trials.values()].filter((t) => t.number !== trial.number && t.state !== 'queued').map(asPrunerTrial),
      onRunId: (runId) => {
        trial.runId = runId;
        store.putTrial(trial);
      },
      onStep: (step, value) => emit({ type: 'trial-step', trial, step, value }),
    }).then((outcome) => settle(trial, outcome));
    running.set(trial.number, done.finally(() => running.delete(trial.number)));
    return true;
  };

  const settle = (trial: TrialRecord, outcome: TrialOutcome): void => {
    executed += outcome.executed;
    cached += outcome.cached;
    if (outcome.state === 'cancelled') {
      // Left for a resume to run again; its intermediate values are kept only for the report.
      Object.assign(trial, { state: 'queued', runId: outcome.runId ?? trial.runId });
      store.putTrial(trial);
      return;
    }
    Object.assign(trial, {
      state: outcome.state, value: outcome.value, error: outcome.error, prunedStep: outcome.prunedStep,
      runId: outcome.runId ?? trial.runId, finishedAt: Date.now(),
    });
    store.putTrial(trial);
    if (outcome.objectiveError && !stopError) stopError = outcome.objectiveError;
    if (outcome.inputError) inputFailures++;
    if (outcome.state !== 'failed') sharedFailure = new Map();
    else if (!sharedFailure || sharedFailure.size) {
      const keys = new Map((outcome.failedKeys ?? []).map((f) => [f.key, f.node]));
      sharedFailure = sharedFailure ? new Map([...sharedFailure].filter(([k]) => keys.has(k))) : keys;
      failedParams.add(paramsKey(trial.params));
      const [node] = [...sharedFailure.values()];
      if (node !== undefined && failedParams.size >= 2 && !stopError) stopError = sameFailure(node, failedParams.size, outcome);
    }
    emit({ type: 'trial-finished', trial, best: bestOf(trials.values(), sweep.direction), finished: finished().length, target: sweep.trials, executed: outcome.executed, cached: outcome.cached });
  };

  const wanted = () => finished().length + running.size < sweep.trials;
  while (true) {
    while (!stop.aborted && !stopError && !exhausted && running.size < sweep.parallel && wanted()) {
      if (!start()) break;
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
    if (stopError && !halt.signal.aborted) halt.abort(new CancelledError('the study stopped'));
  }
  // A grid may run out while trials still ran; say so once they are all in.
  const all = [...trials.values()].sort((a, b) => a.number - b.number);
  const best = bestOf(all, sweep.direction);
  const done = all.filter((t) => t.state !== 'queued' && t.state !== 'running');
  let status: StudyRecord['status'] = 'complete';
  let error: string | null = null;
  if (stopError) [status, error] = ['failed', stopError.message];
  else if (o.signal?.aborted) status = 'cancelled';
  else if (done.length && done.every((t) => t.state === 'failed')) {
    [status, error] = ['failed', done[0]!.error];
    // Every trial failed on bad input (a missing file, a bad combination in each): the user's to fix.
    if (inputFailures === done.length) stopError = new ValidationError(`every trial failed on its input; the first: ${error}`);
  }
  store.updateStudy(study.id, { status, finishedAt: Date.now(), error });
  const result: StudyResult = {
    study: { ...study, status, error, finishedAt: Date.now() }, trials: all, best, executedNodes: executed, cachedNodes: cached,
    exhausted, outParam: o.outParam, ...(stopError ? { stopError } : {}),
  };
  emit({ type: 'study-finished', result });
  return result;
}

/**
 * Every trial so far failed at node `node` with the same inputs and params, though their params
 * differ: the swept params do not reach it, so every trial would fail there.
 */
function sameFailure(node: string, trials: number, outcome: TrialOutcome): Error {
  const message = `node '${node}' failed in all ${trials} trials so far with the same inputs and params (the swept params do not reach it), ` +
    `so every trial would fail there; fix it and run the sweep again. The error: ${firstLine(outcome.error)}`;
  return outcome.inputError ? new ValidationError(message) : new MlcycleError(message);
}

function asFinished(t: TrialRecord): FinishedTrial {
  return { number: t.number, params: t.params, value: t.value, state: t.state as FinishedTrial['state'], intermediate: t.intermediate };
}

function asPrunerTrial(t: TrialRecord): PrunerTrial {
  return { number: t.number, state: t.state === 'queued' ? 'running' : t.state, intermediate: t.intermediate, attrs: t.attrs };
}

/**
 * Everything about a sweep that can be checked without running a trial, so a caller can refuse a bad
 * sweep before it opens a workspace: the DAG builds with the fixed params, the space fits the DAG's
 * params, enqueued params fit the space, a grid can enumerate the space. Returns the DAG param the
 * trials' exports are redirected through (`out`, when the DAG has one). Throws a ValidationError.
 * @example
 * checkSweep(tabular, resolveSweep(options), { cwd: process.cwd() }).outParam // 'out'
 */
export function checkSweep(dag: DagDefinition, sweep: ResolvedSweep, o: { cwd: string; file?: string }): { outParam: string | null } {
  const built = dag.build({ params: sweep.fixed, cwd: o.cwd, ...(o.file ? { file: o.file } : {}) });
  checkSpace(sweep.space, built.params, { fixed: sweep.fixed });
  const enqueueProblems = sweep.enqueue.flatMap((p, i) => trialParamsErrors(sweep.space, p).map((e) => `enqueue[${i}]: ${e}`));
  if (enqueueProblems.length) throw new ValidationError(`sweep › ${enqueueProblems.join('\n')}`);
  // A space a grid cannot enumerate is refused now, not at the first trial with a study recorded.
  if (sweep.sampler.kind === 'grid') gridSize(sweep.space);
  return { outParam: defaultOutParam(built) };
}

function defaultOutParam(built: BuiltDag): string | null {
  const out = built.params.find((p) => p.name === 'out');
  return out && (out.schema as { type?: unknown }).type === 'string' ? 'out' : null;
}

function firstLine(text: string | null): string {
  return (text ?? '').split('\n').find((l) => l.trim()) ?? '';
}
