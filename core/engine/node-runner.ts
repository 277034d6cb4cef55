import { createHash } from 'node:crypto';
import { catchError, from, map, mergeMap, Observable, of } from 'rxjs';
import { flattenMetrics } from '../artifacts/flatten-metrics.ts';
import { kindByName } from '../artifacts/kind.ts';
import type { BuiltDag, DagNode } from '../dag/types.ts';
import { toErrorInfo } from '../errors.ts';
import type { ExecRequest, Executor, InputArtifact } from '../executors/types.ts';
import { nodeKey } from '../plan/cache-key.ts';
import type { CodeDigest } from '../plan/code-digest.ts';
import type { OutputDigest, RunEvent } from '../run/events.ts';
import type { RunState } from '../run/reduce-run.ts';
import type { NodeDone } from '../scheduler/schedule.ts';
import type { Workspace } from './workspace.ts';
import { pruneReason } from './abort-reason.ts';
import { externalEffectGone } from './external-effect.ts';
import { nodeInputs } from './node-inputs.ts';
import { createInFlightMap, type FlightEnd, type FlightEvent, type FlightMember, type InFlightMap } from './in-flight.ts';
import { nodeAttempts } from './node-attempts.ts';

export interface NodeRunnerContext {
  dag: BuiltDag;
  runId: string;
  ws: Workspace;
  seed: number;
  noCache: boolean;
  pickExecutor(node: DagNode): Executor;
  /** Emits an event; the run folds it into `run` (see reduceRun) before anyone reads it. */
  emit(event: RunEvent): void;
  /** The run's state, folded from the events emitted: a node's dependants read its outputs here. */
  run: RunState;
  signal: AbortSignal;
  /** Digests whose blobs verified in this session: one check per blob per session is enough. */
  verified?: Set<string>;
  /** Code digests by module URL, for this session (its loaded code cannot change). */
  codeCache?: Map<string, CodeDigest>;
  /** The cores to share out as TaskContext.threads (the session's concurrency). */
  concurrency?: number;
  /** Attempts executing right now, across the session (shares `concurrency` out as threads). */
  inFlight?: { count: number };
  /** The session's executions in flight by cache key; absent, the runner keeps a map of its own. */
  flights?: InFlightMap;
  /** When each node began executing or waiting on another run: what a cancelled run marks cancelled (a pruned one, pruned). */
  begun?: Map<string, number>;
}

/** A stable per-node seed: the run seed mixed with the node id, so sibling nodes differ. */
export function nodeSeed(runSeed: number, nodeId: string): number {
  return createHash('sha256').update(`${runSeed}:${nodeId}`).digest().readUInt32LE(0);
}

/**
 * Makes the function the scheduler calls per node: compute the key, serve a verified cache hit, join
 * the session's execution of the same key if another run has one in flight, or else execute (with
 * retries and a timeout, see node-attempts.ts) as a flight other runs may join. Emits the node's id
 * and whether it succeeded.
 */
export function createNodeRunner(c: NodeRunnerContext): (id: string) => Observable<NodeDone> {
  const flights = c.flights ?? createInFlightMap();
  const inFlight = (c.inFlight ??= { count: 0 });
  // One hop through a resolved promise before the node's work: the scheduler needs runNode not to
  // complete synchronously (a 10,000-node cached chain must not grow the stack), and everything after
  // the hop (cache check, flight lookup, join) then happens in one synchronous step, so no flight can
  // end between finding it and joining it.
  return (id) =>
    from(Promise.resolve(id)).pipe(
      mergeMap(() => {
        const prep = prepare(c, c.dag.nodes.get(id)!);
        return prep.cached ? of(true) : acquire(c, flights, inFlight, prep);
      }),
      map((ok) => ({ id, ok })),
      // Failing before any attempt (a declared file missing, a cache read error) fails the node, not the run.
      catchError((err) => {
        const node = c.dag.nodes.get(id)!;
        const error = toErrorInfo(err);
        c.emit({ type: 'node-failed', runId: c.runId, at: Date.now(), node: id, task: node.task.name, key: '', attempts: 0, durationMs: 0, error });
        return of({ id, ok: false });
      }),
    );
}

interface Prepared {
  node: DagNode;
  cached: boolean;
  key: string;
  material: string;
  inputs: Record<string, InputArtifact | InputArtifact[]>;
  seed: number;
}

function prepare(c: NodeRunnerContext, node: DagNode): Prepared {
  const inputs = nodeInputs(node, (id) => c.run.nodes.get(id)!.outputs!);
  const seed = nodeSeed(c.seed, node.id);
  const { key, stored } = nodeKey(node, inputs, { cwd: c.dag.cwd, seed, codeCache: c.codeCache });
  const prep: Prepared = { node, cached: false, key, material: stored, inputs, seed };
  if (c.noCache || node.task.cache === false) return prep;
  const entry = c.ws.store.getCacheEntry(key);
  if (!entry) return prep;
  for (const [port, out] of Object.entries(entry.outputs)) {
    if (c.verified?.has(out.digest)) continue;
    const state = c.ws.blobs.verify(out.digest);
    if (state === 'ok') c.verified?.add(out.digest);
    if (state !== 'ok') {
      // A hit counts only if every blob verifies; a bad one is moved aside and the node recomputes.
      c.emit({ type: 'node-log', runId: c.runId, at: Date.now(), node: node.id, level: 'warn', message: `cached output '${port}' is ${state} (${out.digest.slice(0, 12)}…); recomputing` });
      if (state === 'corrupt') c.ws.blobs.quarantine(out.digest);
      c.ws.store.deleteCacheEntry(key);
      return prep;
    }
  }
  const stale = externalEffectGone(node, entry.outputs, c.ws.blobs);
  if (stale) {
    c.emit({ type: 'node-log', runId: c.runId, at: Date.now(), node: node.id, level: 'info', message: `cached result no longer valid outside the store (${stale}); recomputing` });
    return prep;
  }
  const metrics = metricsOfOutputs(c, entry.outputs);
  c.emit({ type: 'node-cached', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, outputs: entry.outputs, ...(metrics ? { metrics } : {}) });
  return { ...prep, cached: true };
}

/**
 * Joins the flight of this key when another run has one (a `--no-cache` run and a `cache: false` task
 * never join: they asked to execute), else starts one. A run that did not start the flight records
 * the node as `cached` when it succeeds (it executed nothing; a log line names the run that did), and
 * shares its failure when it fails.
 */
function acquire(c: NodeRunnerContext, flights: InFlightMap, inFlight: { count: number }, prep: Prepared): Observable<boolean> {
  const { node, key } = prep;
  const cacheable = node.task.cache !== false;
  const existing = cacheable ? flights.get(key) : undefined;
  const joins = existing !== undefined && !c.noCache;
  const flight = joins
    ? existing
    : flights.start(key, c.runId, (say) => work(c, prep, inFlight, say), { shared: cacheable && existing === undefined });
  const began = Date.now();
  if (!c.begun?.has(node.id)) c.begun?.set(node.id, began);
  const log = (level: 'info' | 'warn' | 'debug', message: string) => c.emit({ type: 'node-log', runId: c.runId, at: Date.now(), node: node.id, level, message });
  if (joins) log('info', `waiting for run ${flight.ownerRunId}, which is executing this node's key (${key.slice(0, 12)}…) now`);
  const member: FlightMember = {
    runId: c.runId,
    onEvent: (e) => {
      if (e.type === 'attempt') c.emit({ type: 'node-started', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempt: e.attempt });
      else if (e.type === 'retrying') c.emit({ type: 'node-retrying', runId: c.runId, at: Date.now(), node: node.id, attempt: e.attempt, delayMs: e.delayMs, error: toErrorInfo(e.error) });
      else if (e.type === 'log') log(e.level, e.message);
      else if (e.type === 'report') c.emit({ type: 'node-metric', runId: c.runId, at: Date.now(), node: node.id, step: e.step, metrics: e.metrics });
      else log('info', `run ${e.ownerRunId}, which was executing this node, was cancelled; the execution goes on for this run`);
    },
  };
  return flight.join(member).pipe(map((end) => (joins ? sharedEnd(c, prep, end, flight.ownerRunId, began) : ownEnd(c, prep, end))));
}

// The execution itself: attempts, then the cache entry, written before the flight ends so that a run
// asking for the key after the end finds it.
function work(c: NodeRunnerContext, prep: Prepared, inFlight: { count: number }, say: (e: FlightEvent) => void): Observable<FlightEnd> {
  const { node } = prep;
  const spec = {
    node,
    executor: c.pickExecutor(node),
    request: { task: node.task.ref, nodeId: node.id, params: node.params, inputs: prep.inputs, objectsRoot: c.ws.blobs.root, home: c.ws.home, seed: prep.seed, run: runInfo(c) },
    concurrency: c.concurrency ?? 1,
    inFlight,
  };
  return nodeAttempts(spec, say).pipe(
    map((end): FlightEnd => {
      if (!end.ok || node.task.cache === false) return end;
      try {
        c.ws.store.putCacheEntry({ key: prep.key, task: node.task.name, outputs: end.result.outputs, material: prep.material, createdAt: Date.now() });
        return end;
      } catch (error) {
        return { ok: false, error, attempts: end.attempts, durationMs: end.durationMs };
      }
    }),
  );
}

// The run that started the execution records it as its own.
function ownEnd(c: NodeRunnerContext, prep: Prepared, end: FlightEnd): boolean {
  const { node, key } = prep;
  const { attempts, durationMs } = end;
  if (end.ok) {
    const { outputs, metrics } = end.result;
    c.emit({ type: 'node-succeeded', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempts, durationMs, outputs, inputs: flatInputs(prep.inputs), ...(metrics ? { metrics } : {}) });
    return true;
  }
  if (c.signal.aborted) {
    const pruned = pruneReason(c.signal);
    if (pruned) {
      c.emit({ type: 'node-pruned', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, reason: pruned.message, step: pruned.step, attempts, durationMs });
      return false;
    }
    c.emit({ type: 'node-cancelled', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, attempts, durationMs });
    return false;
  }
  const error = toErrorInfo(end.error);
  c.emit({ type: 'node-failed', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempts, durationMs, error });
  return false;
}

// A run that waited on another run's execution: `cached` when it succeeded (the result came from the
// store, like any hit; attempts 0, duration 0), `failed` with the same error and code when it failed.
// A failure is shared, not retried: the retry policy already ran once for this key in this session.
function sharedEnd(c: NodeRunnerContext, prep: Prepared, end: FlightEnd, ownerRunId: string, began: number): boolean {
  const { node, key } = prep;
  if (end.ok) {
    const { outputs, metrics } = end.result;
    c.emit({ type: 'node-cached', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, outputs, ...(metrics ? { metrics } : {}) });
    return true;
  }
  const info = toErrorInfo(end.error);
  const error = { ...info, message: `${info.message} (in run ${ownerRunId}, which executed this node's key while this run waited for it)` };
  const durationMs = Date.now() - began;
  c.emit({ type: 'node-failed', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempts: 0, durationMs, error });
  return false;
}

// The run facts every request carries, built once per run rather than once per attempt.
const runInfos = new WeakMap<NodeRunnerContext, ExecRequest['run']>();
function runInfo(c: NodeRunnerContext): ExecRequest['run'] {
  let info = runInfos.get(c);
  if (!info) runInfos.set(c, (info = { id: c.runId, dag: c.dag.name, file: c.dag.file, params: Object.fromEntries(c.dag.params.map((p) => [p.name, p.value])) }));
  return info;
}

function flatInputs(inputs: Record<string, InputArtifact | InputArtifact[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [port, a] of Object.entries(inputs)) {
    if (Array.isArray(a)) a.forEach((x, i) => (out[`${port}[${i}]`] = x.digest));
    else out[port] = a.digest;
  }
  return out;
}

function metricsOfOutputs(c: NodeRunnerContext, outputs: Record<string, OutputDigest>): Record<string, number> | undefined {
  const metricsKind = kindByName('Metrics')!;
  const ports = Object.entries(outputs).filter(([, o]) => o.kind === 'Metrics');
  return flattenMetrics(Object.fromEntries(ports.map(([port, o]) => [port, metricsKind.decode(c.ws.blobs.read(o.digest)) as Record<string, unknown>])));
}
