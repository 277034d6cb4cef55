import type { BuiltDag } from '../dag/types.ts';
import type { NodeSummary, RunSummary } from './types.ts';
import type { NodeState } from './node-runner.ts';
import { readArtifact, type Workspace } from './workspace.ts';

/** Builds the run's summary: every node's state, the DAG results, and a failure paragraph. */
export function summarize(args: {
  dag: BuiltDag;
  runId: string;
  ws: Workspace;
  states: Map<string, NodeState>;
  skipped: Map<string, string>;
  status: RunSummary['status'];
  durationMs: number;
}): RunSummary {
  const { dag, states, skipped } = args;
  const nodes: NodeSummary[] = dag.order.map((id) => {
    const node = dag.nodes.get(id)!;
    const s = states.get(id);
    const status = s?.status ?? (skipped.has(id) ? 'skipped' : 'pending');
    return {
      id,
      task: node.task.name,
      status,
      cached: status === 'cached',
      attempts: s?.attempts ?? 0,
      durationMs: s?.durationMs ?? 0,
      ...(s?.error ? { error: s.error } : {}),
      ...(s?.errorCode ? { errorCode: s.errorCode } : {}),
    };
  });
  const outputs: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(dag.results)) {
    const out = states.get(ref.node)?.outputs?.[ref.port];
    if (!out) continue;
    outputs[name] = out.kind === 'Json' || out.kind === 'Metrics' ? readArtifact(args.ws, out.digest, out.kind) : { digest: out.digest, kind: out.kind };
  }
  const failed = nodes.filter((n) => n.status === 'failed');
  let failure: string | undefined;
  if (failed.length) {
    const lines = failed.map((n) => `node '${n.id}' (${n.task}) failed ${n.attempts === 0 ? 'before it could run' : `after ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}`}: ${n.error}`);
    const skippedIds = nodes.filter((n) => n.status === 'skipped').map((n) => n.id);
    failure =
      `${lines.join('\n')}\n` +
      (skippedIds.length ? `Skipped because an upstream node failed: ${skippedIds.join(', ')}.\n` : '') +
      `Fix the cause and re-run the same command to resume: completed nodes are cache hits.`;
  } else if (args.status === 'cancelled') {
    failure = 'The run was cancelled. Re-run the same command to resume: completed nodes are cache hits.';
  }
  return { runId: args.runId, dag: dag.name, status: args.status, durationMs: args.durationMs, nodes, outputs, ...(failure ? { failure } : {}) };
}

/** For `run-finished`: the one-line error of a failed or cancelled run. */
export function finishedError(summary: RunSummary): string | undefined {
  return summary.failure?.split('\n')[0];
}
