/**
 * Vega-Lite specs for how a study progressed: the optimisation history (objective per trial, the
 * best so far, pruned and failed trials marked) and the intermediate values (one line per trial
 * across steps). Modelled on optuna.visualization's plot_optimization_history and
 * plot_intermediate_values. Data arrive as trials; each builder returns a spec for renderSvg.
 */
import type { TopLevelSpec } from 'vega-lite';
import { intermediatePoints, scoredTrials, type ReportStudy, type ReportTrial } from './summary.ts';

/** Series of the history chart, in legend order, and their colours. */
const HISTORY_SERIES = ['objective', 'best so far', 'pruned', 'failed'];
const HISTORY_COLOURS = ['#1f77b4', '#d62728', '#ff7f0e', '#7f7f7f'];

/** Trial states as the intermediate-values chart colours them. */
const STATE_COLOURS: Record<string, string> = { complete: '#1f77b4', pruned: '#ff7f0e', failed: '#7f7f7f', running: '#2ca02c', queued: '#bcbd22' };

/**
 * Optimisation history: each complete trial's objective by trial number, the best-so-far as a step
 * line, and a faint vertical rule at every pruned or failed trial (they have no objective to place).
 * @example
 * historyChart({ direction: 'minimize', objective: 'metrics.rmse' }, trials)
 */
export function historyChart(study: Pick<ReportStudy, 'direction' | 'objective'>, trials: readonly ReportTrial[]): TopLevelSpec {
  const better = study.direction === 'maximize' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  let best: number | undefined;
  const points = scoredTrials(trials).map((t) => {
    if (best === undefined || better(t.value, best)) best = t.value;
    return { trial: t.number, value: t.value, best };
  });
  const marks = trials
    .filter((t) => t.state === 'pruned' || t.state === 'failed')
    .map((t) => ({ trial: t.number, series: t.state }));
  const colour = {
    field: 'series', type: 'nominal' as const, title: null,
    scale: { domain: HISTORY_SERIES, range: HISTORY_COLOURS },
    legend: { orient: 'top' as const, direction: 'horizontal' as const },
  };
  const x = { field: 'trial', type: 'quantitative' as const, title: 'trial', axis: { tickMinStep: 1, format: 'd' } };
  return {
    width: 560,
    height: 300,
    layer: [
      {
        data: { values: marks },
        mark: { type: 'rule', opacity: 0.35, strokeDash: [3, 3] },
        encoding: { x, color: colour },
      },
      {
        data: { values: points },
        transform: [{ calculate: "'objective'", as: 'series' }],
        mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: study.objective, scale: { zero: false } }, color: colour },
      },
      {
        data: { values: points },
        transform: [{ calculate: "'best so far'", as: 'series' }],
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: { x, y: { field: 'best', type: 'quantitative' }, color: colour },
      },
    ],
  };
}

/**
 * Whether any trial reported a finite intermediate value (else the chart is left out).
 * @example
 * hasIntermediate([{ intermediate: { 0: 0.5 } }] as ReportTrial[]) // true
 */
export function hasIntermediate(trials: readonly ReportTrial[]): boolean {
  return trials.some((t) => intermediatePoints(t).length > 0);
}

/**
 * Intermediate values: one line per trial over its steps, coloured by the trial's state, so pruned
 * trials show where they were stopped. Non-finite values are skipped. All trials of one state are
 * one line mark whose path is broken between trials (a null row ends a trial): vega draws one SVG
 * path per state instead of a group per trial, which is what keeps 1,000 trials fast and small.
 * @example
 * intermediateChart({ pruneOn: 'val_score' }, trials)
 */
export function intermediateChart(study: Pick<ReportStudy, 'pruneOn'>, trials: readonly ReportTrial[]): TopLevelSpec {
  const states = Object.keys(STATE_COLOURS);
  const rows: Array<{ trial: number; state: string; step: number; value: number | null; seq: number }> = [];
  let points = 0;
  for (const state of states) {
    for (const t of trials) {
      if (t.state !== state) continue;
      const pts = intermediatePoints(t);
      if (!pts.length) continue;
      for (const [step, value] of pts) rows.push({ trial: t.number, state, step, value, seq: rows.length });
      rows.push({ trial: t.number, state, step: pts[pts.length - 1]![0], value: null, seq: rows.length });
      points += pts.length;
    }
  }
  const present = states.filter((s) => rows.some((r) => r.state === s));
  const x = { field: 'step', type: 'quantitative' as const, title: 'step', axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'value', type: 'quantitative' as const, title: study.pruneOn ?? 'intermediate value', scale: { zero: false } };
  const color = {
    field: 'state', type: 'nominal' as const, title: null,
    scale: { domain: present, range: present.map((s) => STATE_COLOURS[s]!) },
    legend: { orient: 'top' as const, direction: 'horizontal' as const },
  };
  return {
    width: 560,
    height: 300,
    data: { values: rows },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.2, opacity: 0.6 }, encoding: { x, y, color, order: { field: 'seq', type: 'quantitative' } } },
      // Dots only while they stay readable; the lines carry the shape on big studies.
      ...(points <= 2000 ? [{ mark: { type: 'point' as const, filled: true, size: 12, opacity: 0.8 }, encoding: { x, y, color } }] : []),
    ],
  };
}
