import { createHash } from 'node:crypto';
import { catchError, defer, from, map, mergeMap, Observable, of, retry, throwError, timeout, timer } from 'rxjs';
import { flattenMetrics } from '../artifacts/flatten-metrics.ts';
import { kindByName } from '../artifacts/kind.ts';
import type { BuiltDag, DagNode } from '../dag/types.ts';
import { CancelledError, TimeoutError, isRetryable, toErrorInfo } from '../errors.ts';
import type { ExecRequest, Executor, ExecResult, InputArtifact } from '../executors/types.ts';
import { nodeKey } from '../plan/cache-key.ts';
import type { CodeDigest } from '../plan/code-digest.ts';
import type { OutputDigest, RunEvent } from '../scheduler/events.ts';
import type { NodeDone } from '../scheduler/schedule.ts';
import type { Workspace } from './workspace.ts';
import { externalEffectGone } from './external-effect.ts';
import { nodeInputs } from './node-inputs.ts';
import { resolveRetry, retryDelayMs } from './retry-policy.ts';

/** What one node ended as, kept by the run for its summary and for its dependants' inputs. */
export interface NodeState {
  status: 'cached' | 'succeeded' | 'failed' | 'cancelled';
  outputs?: Record<string, OutputDigest>;
  attempts: number;
  durationMs: number;
  error?: string;
  /** The failing error's code (`DATA`, `VALIDATION`, `TIMEOUT`…), when it has one. */
  errorCode?: string;
}

export interface NodeRunnerContext {
  dag: BuiltDag;
  runId: string;
  ws: Workspace;
  seed: number;
  noCache: boolean;
  pickExecutor(node: DagNode): Executor;
  emit(event: RunEvent): void;
  states: Map<string, NodeState>;
  signal: AbortSignal;
  /** Digests whose blobs verified during this run: one check per blob per run is enough. */
  verified?: Set<string>;
  /** Code digests by module URL, for this run. */
  codeCache?: Map<string, CodeDigest>;
  /** The run's concurrency, shared out as TaskContext.threads. */
  concurrency?: number;
  /** Attempts executing right now, across the run. */
  inFlight?: { count: number };
}

/** A stable per-node seed: the run seed mixed with the node id, so sibling nodes differ. */
export function nodeSeed(runSeed: number, nodeId: string): number {
  return createHash('sha256').update(`${runSeed}:${nodeId}`).digest().readUInt32LE(0);
}

/**
 * Makes the function the scheduler calls per node: compute the key, serve a verified cache hit, or
 * execute with retries and a timeout as RxJS operators. Emits the node's id and whether it succeeded.
 */
export function createNodeRunner(c: NodeRunnerContext): (id: string) => Observable<NodeDone> {
  return (id) =>
    defer(() => from(prepare(c, c.dag.nodes.get(id)!))).pipe(
      mergeMap((prep) => (prep.cached ? of(true) : execute(c, prep))),
      map((ok) => ({ id, ok })),
      // Failing before any attempt (a declared file missing, a cache read error) fails the node, not the run.
      catchError((err) => {
        const node = c.dag.nodes.get(id)!;
        const error = toErrorInfo(err);
        c.states.set(id, { status: 'failed', attempts: 0, durationMs: 0, error: error.message, errorCode: error.code });
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

async function prepare(c: NodeRunnerContext, node: DagNode): Promise<Prepared> {
  const inputs = nodeInputs(node, (id) => c.states.get(id)!.outputs!);
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
  c.states.set(node.id, { status: 'cached', outputs: entry.outputs, attempts: 0, durationMs: 0 });
  c.emit({ type: 'node-cached', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, outputs: entry.outputs, ...(metrics ? { metrics } : {}) });
  return { ...prep, cached: true };
}

function execute(c: NodeRunnerContext, prep: Prepared): Observable<boolean> {
  const { node, key } = prep;
  const policy = resolveRetry(node.task.retry);
  const executor = c.pickExecutor(node);
  const started = Date.now();
  let attempt = 0;

  const oneAttempt = defer(() => {
    attempt++;
    c.emit({ type: 'node-started', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempt });
    const exec$ = new Observable<ExecResult>((sub) => {
      const inFlight = (c.inFlight ??= { count: 0 });
      inFlight.count++;
      const threads = Math.max(1, Math.floor((c.concurrency ?? 1) / inFlight.count));
      const controller = new AbortController();
      const onRunAbort = () => controller.abort(new CancelledError('run cancelled'));
      c.signal.addEventListener('abort', onRunAbort, { once: true });
      let settled = false;
      executor
        .execute(
          { task: node.task.ref, nodeId: node.id, params: node.params, inputs: prep.inputs, objectsRoot: c.ws.blobs.root, seed: prep.seed, attempt, threads, run: runInfo(c) },
          {
            signal: controller.signal,
            onLog: (level, message) => c.emit({ type: 'node-log', runId: c.runId, at: Date.now(), node: node.id, level, message }),
            onReport: (step, metrics) => c.emit({ type: 'node-metric', runId: c.runId, at: Date.now(), node: node.id, step, metrics }),
          },
        )
        .then(
          (r) => { settled = true; sub.next(r); sub.complete(); },
          (e) => { settled = true; sub.error(e); },
        );
      // Unsubscribing before the attempt settled (timeout, cancel) aborts it; the executor stores
      // nothing once aborted.
      return () => {
        inFlight.count--;
        c.signal.removeEventListener('abort', onRunAbort);
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
        if (!isRetryable(err) || c.signal.aborted) return throwError(() => err);
        const delayMs = retryDelayMs(policy, retryCount);
        c.emit({ type: 'node-retrying', runId: c.runId, at: Date.now(), node: node.id, attempt: retryCount + 1, delayMs, error: toErrorInfo(err) });
        return timer(delayMs);
      },
    }),
    map((result) => {
      const durationMs = Date.now() - started;
      c.states.set(node.id, { status: 'succeeded', outputs: result.outputs, attempts: attempt, durationMs });
      if (node.task.cache !== false) {
        c.ws.store.putCacheEntry({ key, task: node.task.name, outputs: result.outputs, material: prep.material, createdAt: Date.now() });
      }
      c.emit({ type: 'node-succeeded', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempts: attempt, durationMs, outputs: result.outputs, inputs: flatInputs(prep.inputs), ...(result.metrics ? { metrics: result.metrics } : {}) });
      return true;
    }),
    catchError((err) => {
      const durationMs = Date.now() - started;
      if (c.signal.aborted) {
        c.states.set(node.id, { status: 'cancelled', attempts: attempt, durationMs });
        c.emit({ type: 'node-cancelled', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name });
      } else {
        const error = toErrorInfo(err);
        c.states.set(node.id, { status: 'failed', attempts: attempt, durationMs, error: error.message, errorCode: error.code });
        c.emit({ type: 'node-failed', runId: c.runId, at: Date.now(), node: node.id, task: node.task.name, key, attempts: attempt, durationMs, error });
      }
      return of(false);
    }),
  );
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
