import type { BuiltDag } from '../dag/types.ts';
import type { RunState } from '../run/reduce-run.ts';
import type { NodeSummary, RunSummary } from './types.ts';
import { readArtifact, type Workspace } from './workspace.ts';

/**
 * A finished run's summary, read off its folded events (see reduceRun): every node's state in DAG
 * order, the DAG's results decoded from the workspace, and the failure text `run-finished` produced.
 * @example
 * const summary = summarize({ dag, runId, ws, run }); // after run-finished was folded into `run`
 */
export function summarize(args: { dag: BuiltDag; runId: string; ws: Workspace; run: RunState }): RunSummary {
  const { dag, run } = args;
  const nodes: NodeSummary[] = dag.order.map((id) => {
    const s = run.nodes.get(id)!;
    return {
      id,
      task: s.task,
      status: s.status,
      cached: s.cached,
      attempts: s.attempts,
      durationMs: s.durationMs,
      ...(s.error ? { error: s.error } : {}),
      ...(s.errorCode ? { errorCode: s.errorCode } : {}),
    };
  });
  const outputs: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(dag.results)) {
    const out = run.nodes.get(ref.node)?.outputs?.[ref.port];
    if (!out) continue;
    outputs[name] = out.kind === 'Json' || out.kind === 'Metrics' ? readArtifact(args.ws, out.digest, out.kind) : { digest: out.digest, kind: out.kind };
  }
  const { status } = run;
  if (status === 'running') throw new Error(`summarize: run ${args.runId} has not finished (no run-finished event was folded)`);
  return { runId: args.runId, dag: dag.name, status, durationMs: run.durationMs ?? 0, nodes, outputs, ...(run.failure ? { failure: run.failure } : {}) };
}
