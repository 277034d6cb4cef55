/**
 * Facts the sweep report is built from, read off a study's trials: which trials count (complete with
 * a finite objective), the best one and the top ones in the study's direction, counts by state, the
 * params to show, and a trial's intermediate values as clean [step, value] pairs.
 */
import { flattenSpace } from '../../core/sweep/space-walk.ts';
import type { Distribution, Space } from '../../core/sweep/space.ts';
import type { ReportStudy, ReportTrial, TrialState } from './_study-shape.ts';

export type { ReportStudy, ReportTrial, TrialState } from './_study-shape.ts';

/** A complete trial whose objective is a finite number: the only kind that ranks. */
export type ScoredTrial = ReportTrial & { value: number };

/** The states in the order the report lists them. */
export const TRIAL_STATES: readonly TrialState[] = ['complete', 'pruned', 'failed', 'running', 'queued'];

/**
 * Complete trials with a finite objective, in trial-number order.
 * @example
 * scoredTrials([{ number: 0, state: 'complete', value: 1, … }, { number: 1, state: 'failed', value: null, … }]).length // 1
 */
export function scoredTrials<T extends ReportTrial>(trials: readonly T[]): Array<T & { value: number }> {
  return trials
    .filter((t): t is T & { value: number } => t.state === 'complete' && typeof t.value === 'number' && Number.isFinite(t.value))
    .sort((a, b) => a.number - b.number);
}

/**
 * Scored trials best first (ties: the earlier trial first, as Optuna's best_trial picks it).
 * @example
 * rankTrials(trials, 'maximize')[0] // the trial with the highest objective
 */
export function rankTrials<T extends ReportTrial>(trials: readonly T[], direction: ReportStudy['direction']): Array<T & { value: number }> {
  const sign = direction === 'maximize' ? -1 : 1;
  return scoredTrials(trials).sort((a, b) => sign * (a.value - b.value) || a.number - b.number);
}

/**
 * How many trials are in each state (every state present, zeros included).
 * @example
 * stateCounts([{ state: 'complete' }, { state: 'pruned' }] as ReportTrial[]) // { complete: 1, pruned: 1, failed: 0, running: 0, queued: 0 }
 */
export function stateCounts(trials: readonly Pick<ReportTrial, 'state'>[]): Record<TrialState, number> {
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  return counts;
}

/**
 * The study's space, or an empty one when the stored value is not an object (the report then charts
 * the params trials carry, without distributions).
 * @example
 * spaceOf({ space: { x: float(0, 1) } }) // { x: { kind: 'float', … } }
 */
export function spaceOf(study: Pick<ReportStudy, 'space'>): Space {
  const s = study.space;
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Space) : {};
}

/** A param the report shows: its name and, when the study's space defines it, its distribution. */
export interface ReportParam {
  name: string;
  distribution?: Distribution;
}

/**
 * The params to chart: the space's params (walk order) that some trial has, then any other names
 * trials carry (a space edited between runs of a resumed study), sorted.
 * @example
 * reportParams(study, trials).map((p) => p.name) // ['algorithm', 'forest.nEstimators', 'logreg.C']
 */
export function reportParams(study: Pick<ReportStudy, 'space'>, trials: readonly ReportTrial[]): ReportParam[] {
  const seen = new Set<string>();
  for (const t of trials) for (const k of Object.keys(t.params ?? {})) seen.add(k);
  const fromSpace = flattenSpace(spaceOf(study)).filter((p) => seen.has(p.name));
  const known = new Set(fromSpace.map((p) => p.name));
  const extra = [...seen].filter((k) => !known.has(k)).sort();
  return [...fromSpace.map((p) => ({ name: p.name, distribution: p.distribution })), ...extra.map((name) => ({ name }))];
}

/**
 * Whether a param is charted on a numeric axis: an int or float in the space, or (outside the space)
 * one whose values are all numbers.
 * @example
 * isNumericParam({ name: 'lr', distribution: float(1e-4, 1, { log: true }) }, trials) // true
 */
export function isNumericParam(param: ReportParam, trials: readonly ReportTrial[]): boolean {
  const d = param.distribution;
  if (d) return d.kind === 'int' || d.kind === 'float';
  return trials.every((t) => !Object.hasOwn(t.params, param.name) || typeof t.params[param.name] === 'number');
}

/** Whether a numeric param is sampled on a log scale (its axis is then logarithmic). */
export function isLogParam(param: ReportParam): boolean {
  const d = param.distribution;
  return (d?.kind === 'int' || d?.kind === 'float') && d.log;
}

/**
 * The finite intermediate values of a trial as [step, value] pairs by step. NaN, ±Infinity and the
 * nulls JSON turns them into are dropped: a chart cannot place them.
 * @example
 * intermediatePoints({ intermediate: { 0: 0.5, 1: null, 2: 0.7 } } as ReportTrial) // [[0, 0.5], [2, 0.7]]
 */
export function intermediatePoints(trial: Pick<ReportTrial, 'intermediate'>): Array<[number, number]> {
  const iv = trial.intermediate;
  if (!iv) return [];
  const entries: Array<[number, unknown]> = iv instanceof Map ? [...iv] : Object.entries(iv).map(([k, v]) => [Number(k), v]);
  return entries
    .filter((e): e is [number, number] => Number.isFinite(e[0]) && typeof e[1] === 'number' && Number.isFinite(e[1]))
    .sort((a, b) => a[0] - b[0]);
}

/**
 * A param value or objective for a table cell: numbers to 6 significant digits, other values as JSON
 * would write them; an absent (conditional) param as an empty string.
 * @example
 * formatValue(0.000123456789) // '0.000123457'
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * A sampler or pruner spec as one line: a name, or `kind (option=value, …)`.
 * @example
 * describeSpec({ kind: 'asha', minResource: 1, reductionFactor: 3 }) // 'asha (minResource=1, reductionFactor=3)'
 */
export function describeSpec(spec: unknown): string {
  if (spec === null || spec === undefined) return '—';
  if (typeof spec !== 'object') return String(spec);
  const { kind, ...rest } = spec as Record<string, unknown>;
  const options = Object.entries(rest).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${formatValue(v)}`);
  const name = kind === undefined ? '' : String(kind);
  return options.length ? `${name} (${options.join(', ')})`.trim() : name || JSON.stringify(spec);
}
