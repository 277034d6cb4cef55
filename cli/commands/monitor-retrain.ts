import type { BuiltDag, RunSummary } from '../../core/index.ts';
import type { GateDecision } from '../../plugins/deploy/gate-decision.ts';
import type { CliContext } from '../context.ts';
import { loadDag } from '../load-dag.ts';
import { parseParamFlags } from '../params.ts';
import { runBuiltDag, type RunDagFlags } from './run.ts';

/** What `monitor --retrain` did, for the human summary and `--json`. */
export interface RetrainOutcome {
  file: string;
  runId: string;
  status: RunSummary['status'];
  /** Nodes that ran (stale after the new data), and those served from the cache. */
  executed: string[];
  cached: string[];
  /** The gate's decision; null when the DAG has no deploy/register node returning one. */
  decision: GateDecision | null;
  /** The `mlcycle run` exit code of the retraining run. */
  code: number;
}

/**
 * Builds (and so validates) the retraining DAG with its params. Called before monitoring starts, so a
 * mistyped file or param fails at once, before a report is printed or written.
 * @example
 * const built = await buildRetrainDag('dags/penguins.ts', ['data=new.csv'], ctx);
 */
export function buildRetrainDag(file: string, params: readonly string[], ctx: CliContext): Promise<BuiltDag> {
  return loadDag(ctx, file, { params: parseParamFlags(params), cwd: ctx.cwd });
}

/**
 * Re-runs the DAG after drift, exactly as `mlcycle run <file> --param …` would (live view, cache):
 * only the nodes the new params make stale execute. The DAG's deploy/register gate decides whether
 * the new model replaces the champion; this reads its decision from the run's results.
 * @example
 * const outcome = await retrain(built, 'dags/penguins.ts', { cache: true }, home, ctx);
 * outcome.decision?.promoted; // true when the retrained model beat the champion
 */
export async function retrain(built: BuiltDag, file: string, flags: RunDagFlags, home: string, ctx: CliContext): Promise<RetrainOutcome> {
  const { summary, code } = await runBuiltDag(built, flags, home, ctx);
  const { gateDecisionOf } = await import('../../plugins/deploy/gate-decision.ts');
  return {
    file, runId: summary.runId, status: summary.status, code,
    executed: summary.nodes.filter((n) => n.status === 'succeeded' || n.status === 'failed').map((n) => n.id),
    cached: summary.nodes.filter((n) => n.status === 'cached').map((n) => n.id),
    decision: gateDecisionOf(summary) ?? null,
  };
}

/**
 * Two or three lines saying what was retrained and whether the champion changed.
 * @example
 * ctx.stderr.write(retrainText(outcome)); // "retrained: 9 of 15 nodes ran (load, …), 6 cached\nchampion: promoted v2 …"
 */
export function retrainText(o: RetrainOutcome): string {
  const total = o.executed.length + o.cached.length;
  const lines = [`retrain: run ${o.runId} of ${o.file} ${o.status}; ${o.executed.length} of ${total} nodes ran (${o.executed.join(', ') || 'none'}), ${o.cached.length} from the cache`];
  const d = o.decision;
  if (!d) lines.push(o.status === 'succeeded' ? 'champion: unchanged (the DAG has no deploy/register gate; nothing decided a promotion)' : 'champion: unchanged (the retraining run did not finish)');
  else if (d.promoted) lines.push(`champion: ${d.model}@${d.alias} is now v${d.version} (was ${d.previousVersion === null ? 'unset' : `v${d.previousVersion}`}): ${d.reason}`);
  else lines.push(`champion: ${d.model}@${d.alias} unchanged${d.previousVersion === null ? '' : ` (v${d.previousVersion})`}: ${d.reason}`);
  return `${lines.join('\n')}\n`;
}
