/**
 * The words a run that did not succeed ends with: which nodes failed and with what error, what that
 * skipped, how to resume. Written here once; the engine's RunSummary.failure (one sentence a line)
 * and the CLI's end-of-run paragraph (sentences on one line, lists bounded) are both made of these.
 */
import type { NodeStatus, RunStatus } from './events.ts';
import { nameList, thousands } from './name-list.ts';

/** The hint every failed or cancelled run ends with (tests look for it). */
export const RESUME_HINT = 're-run the same command to resume: completed nodes are cache hits';

/** What the failure text needs of a node (a NodeSummary or a reduced NodeRunState has it). */
export interface FailureNode {
  id: string;
  task: string;
  status: NodeStatus;
  attempts: number;
  error?: string;
}

/** How long the lists get; unset, every failed and skipped node is named. */
export interface FailureTextOptions {
  /** Most failed nodes given a sentence, and most skipped nodes named. */
  limit?: number;
  /** Where the nodes beyond `limit` can be seen (`--json`), named in the `… and N more` sentence. */
  everyOne?: string;
}

/**
 * One sentence per failed node (up to `limit`, then a count), one naming the nodes skipped as
 * their dependants, and how to resume.
 * @example
 * failureSentences(summary.nodes, { limit: 20, everyOne: '--json' }).join(' ');
 * // "node 'train' (models/mlp) failed after 3 attempts: out of memory. Skipped as dependants: eval. Fix the cause, then re-run …"
 */
export function failureSentences(nodes: Iterable<FailureNode>, options: FailureTextOptions = {}): string[] {
  const limit = options.limit ?? Infinity;
  const failed: FailureNode[] = [];
  const skipped: string[] = [];
  for (const n of nodes) {
    if (n.status === 'failed') failed.push(n);
    else if (n.status === 'skipped') skipped.push(n.id);
  }
  // Bounded on request: a thousand failures (one bad shared input) must not print a thousand sentences.
  const out = failed.slice(0, limit).map(failedNodeSentence);
  if (failed.length > limit) out.push(`… and ${thousands(failed.length - limit)} more failed nodes${options.everyOne ? ` (every one: ${options.everyOne})` : ''}.`);
  if (skipped.length) out.push(`Skipped as dependants: ${nameList(skipped, limit)}.`);
  out.push(`Fix the cause, then ${RESUME_HINT}.`);
  return out;
}

/**
 * `node 'train' (models/mlp) failed after 2 attempts: out of memory.`
 * @example
 * failedNodeSentence({ id: 'f', task: 't', status: 'failed', attempts: 0, error: 'missing file' }); // "node 'f' (t) failed before it could run: missing file."
 */
export function failedNodeSentence(n: FailureNode): string {
  const when = n.attempts === 0 ? 'before it could run' : `after ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}`;
  return `node '${n.id}' (${n.task}) failed ${when}: ${(n.error ?? 'unknown error').replace(/\.+$/, '')}.`;
}

/**
 * A finished run's failure, one sentence a line (undefined when it succeeded). Its first line is
 * what `run-finished` carries as the run's error: a pruned run's is the pruner's reason.
 * @example
 * runFailure(state.nodes.values(), 'cancelled'); // 'The run was cancelled. Re-run the same command to resume: …'
 */
export function runFailure(nodes: Iterable<FailureNode>, status: Exclude<RunStatus, 'running'>, options: { prunedReason?: string } = {}): string | undefined {
  if (status === 'pruned') {
    // A node that failed before the pruner acted keeps its error in its own line of the summary.
    return `${options.prunedReason ?? 'pruned'}\nA sweep's pruner stopped this run: its unfinished nodes are pruned and nothing they computed was cached.`;
  }
  // A cancelled run in which a node had already failed says so: the failure is what needs fixing.
  const list = [...nodes];
  if (list.some((n) => n.status === 'failed')) return failureSentences(list).join('\n');
  if (status === 'cancelled') return `The run was cancelled. ${RESUME_HINT[0].toUpperCase()}${RESUME_HINT.slice(1)}.`;
  return undefined;
}
