import type { BuiltDag } from '../dag/types.ts';
import type { NodeSummary, RunSummary } from './types.ts';
import type { PruneReason } from './abort-reason.ts';
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
  /** Set when a sweep's pruner stopped the run: its reason becomes the failure's first line. */
  pruned?: PruneReason;
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
  if (args.status === 'pruned') {
    // The first line is the pruner's own words: it is what run-finished and the run store carry.
    // A node that failed before the pruner acted keeps its error in its own line of the summary.
    failure = `${args.pruned?.message ?? 'pruned'}\nA sweep's pruner stopped this run: its unfinished nodes are pruned and nothing they computed was cached.`;
  } else if (failed.length) {
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

/** For `run-finished`: the one-line error of a failed, cancelled or pruned run (a pruned run's: the pruner's reason). */
export function finishedError(summary: RunSummary): string | undefined {
  return summary.failure?.split('\n')[0];
}
