/**
 * The deploy/register gate's decision as data: what it registered, what it compared, whether it moved
 * the alias and why. Tools that act on a run's outcome (monitor --retrain saying whether the champion
 * changed) read it from the run summary with {@link gateDecisionOf}.
 */
import type { MetricDirection } from '../evaluators/score.ts';

/** The `decision` output of deploy/register. */
export interface GateDecision {
  /** The registered model name. */
  model: string;
  /** The version holding the candidate bundle (new, or reused when it was already registered). */
  version: number;
  alias: string;
  /** Whether this decision moved the alias to `version`. */
  promoted: boolean;
  /** The version the alias pointed at before the decision; null when it did not exist. */
  previousVersion: number | null;
  metric: string;
  direction: MetricDirection;
  /** The candidate's metric on the held-out rows. */
  candidate: number;
  /** The champion's metric on the same rows; null without a champion or when it could not be scored. */
  champion: number | null;
  threshold: number | null;
  margin: number;
  /** Held-out rows both models were scored on. */
  rows: number;
  /** True when the bundle was already registered as `version` (a re-run), false when this run registered it. */
  reused: boolean;
  /** One sentence for a user, e.g. "promoted v3 to champion: accuracy 0.988 beats v2's 0.976 by more than 0 on 84 held-out rows". */
  reason: string;
  /** Absolute folder of the registered version (what verifyOutputs checks). */
  dir: string;
  manifestSha256: string;
}

/**
 * True when `value` has the shape of a {@link GateDecision}.
 * @example
 * isGateDecision(summary.outputs.decision); // true for a DAG returning the gate's decision
 */
export function isGateDecision(value: unknown): value is GateDecision {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const d = value as Record<string, unknown>;
  return typeof d.model === 'string' && typeof d.version === 'number' && typeof d.alias === 'string' &&
    typeof d.promoted === 'boolean' && typeof d.reason === 'string' && typeof d.metric === 'string';
}

/**
 * The gate decision among a run's results (RunSummary.outputs, as `mlcycle run --json` prints them):
 * the result named `decision` if it is one, else the only result shaped like one; undefined when the
 * DAG returns none (or several, which only their names can tell apart).
 * @example
 * const summary = await session.run(penguins, { data: 'new.json' }).done;
 * const d = gateDecisionOf(summary);
 * if (d?.promoted) console.log(`champion is now v${d.version} (was ${d.previousVersion ?? 'none'})`);
 */
export function gateDecisionOf(results: { outputs?: Record<string, unknown> } | Record<string, unknown>): GateDecision | undefined {
  const outputs = (Object.hasOwn(results, 'outputs') && typeof results.outputs === 'object' && results.outputs !== null
    ? results.outputs
    : results) as Record<string, unknown>;
  if (Object.hasOwn(outputs, 'decision') && isGateDecision(outputs.decision)) return outputs.decision;
  const found = Object.values(outputs).filter(isGateDecision);
  return found.length === 1 ? found[0] : undefined;
}
