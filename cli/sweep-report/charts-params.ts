/**
 * Vega-Lite specs for how params relate to the objective: parallel coordinates, one slice plot per
 * param, and the importance bars. Modelled on optuna.visualization's plot_parallel_coordinate,
 * plot_slice and plot_param_importances. Only complete trials with a finite objective are drawn.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ParamImportance } from './importance.ts';
import {
  formatValue, isLogParam, isNumericParam, scoredTrials, type ReportParam, type ReportStudy, type ReportTrial,
} from './summary.ts';

/** Where a value sits on a parallel-coordinates axis ([0, 1]), and the axis's labels. */
interface AxisScale {
  position: (v: unknown) => number | undefined;
  labels: Array<{ pos: number; label: string }>;
}

function numericAxis(values: number[], log: boolean): AxisScale {
  const t = (v: number): number => (log ? Math.log(v) : v);
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  // A loop, not Math.min(...): a spread of a long study's values can overflow the call stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of usable) {
    lo = Math.min(lo, t(v));
    hi = Math.max(hi, t(v));
  }
  const span = hi - lo;
  const position = (v: unknown): number | undefined => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (log && v <= 0)) return undefined;
    return span > 0 ? (t(v) - lo) / span : 0.5;
  };
  if (!usable.length) return { position, labels: [] };
  const back = (x: number): number => (log ? Math.exp(x) : x);
  const ticks = span > 0 ? [0, 0.5, 1] : [0.5];
  return { position, labels: ticks.map((pos) => ({ pos, label: formatValue(back(span > 0 ? lo + pos * span : lo)) })) };
}

function categoricalAxis(values: unknown[], order: readonly unknown[]): AxisScale {
  // Space order first (stable across studies), then anything else in first-seen order.
  const cats = [...order.filter((c) => values.includes(c)), ...new Set(values.filter((v) => !order.includes(v)))];
  const pos = (i: number): number => (cats.length > 1 ? i / (cats.length - 1) : 0.5);
  return {
    position: (v) => {
      const i = cats.indexOf(v);
      return i < 0 ? undefined : pos(i);
    },
    labels: cats.map((c, i) => ({ pos: pos(i), label: formatValue(c) })),
  };
}

function choicesOf(param: ReportParam): readonly unknown[] {
  const d = param.distribution;
  if (d?.kind === 'choice') return d.choices;
  if (d?.kind === 'branch') return Object.keys(d.branches);
  return [];
}

/** Objective bands of the parallel-coordinates chart: equal-width bins, coloured light to dark. */
const BANDS = 8;

/**
 * Parallel coordinates: the objective then every param as vertical axes, one line per complete
 * trial through its values, coloured by objective. Numeric axes are min–max scaled (log params on a
 * log scale), categorical ones spread their values evenly. A conditional param a trial does not
 * have is simply absent from its line. The colour is the objective's band (8 equal-width bins, best
 * darkest and drawn on top) rather than a continuous scale: then each band is one line mark whose
 * path breaks between trials, not one vega group per trial, so 1,000 trials render in well under a
 * second and a few hundred kilobytes.
 * @example
 * parallelChart(study, trials, reportParams(study, trials))
 */
export function parallelChart(study: Pick<ReportStudy, 'direction' | 'objective'>, trials: readonly ReportTrial[], params: readonly ReportParam[]): TopLevelSpec {
  const scored = scoredTrials(trials);
  const objectiveAxis = params.some((p) => p.name === study.objective) ? `${study.objective} (objective)` : study.objective;
  const axes: Array<{ name: string; scale: AxisScale; read: (t: ReportTrial) => unknown }> = [
    { name: objectiveAxis, scale: numericAxis(scored.map((t) => t.value), false), read: (t) => t.value },
    ...params.map((p) => {
      const read = (t: ReportTrial): unknown => (Object.hasOwn(t.params, p.name) ? t.params[p.name] : undefined);
      const present = scored.map(read).filter((v) => v !== undefined);
      const scale = isNumericParam(p, trials) ? numericAxis(present as number[], isLogParam(p)) : categoricalAxis(present, choicesOf(p));
      return { name: p.name, scale, read };
    }),
  ];
  const bands = objectiveBands(scored.map((t) => t.value), study.direction);
  const byBand = scored.map((t) => ({ t, band: bands.of(t.value) })).sort((a, b) => a.band - b.band || a.t.number - b.t.number);
  const lines: Array<{ trial: number; axis: string; pos: number | null; band: string; seq: number }> = [];
  for (const { t, band } of byBand) {
    const label = bands.labels[band]!;
    axes.forEach((a) => {
      const pos = a.scale.position(a.read(t));
      if (pos !== undefined) lines.push({ trial: t.number, axis: a.name, pos, band: label, seq: lines.length });
    });
    lines.push({ trial: t.number, axis: axes[0]!.name, pos: null, band: label, seq: lines.length }); // ends this trial's line
  }
  const labels = axes.flatMap((a) => a.scale.labels.map((l) => ({ axis: a.name, ...l })));
  const sort = axes.map((a) => a.name);
  const x = { field: 'axis', type: 'nominal' as const, sort, title: null, axis: { labelAngle: 0, labelLimit: 140, orient: 'bottom' as const, domain: false, ticks: false } };
  const y = { field: 'pos', type: 'quantitative' as const, axis: null, scale: { domain: [0, 1] } };
  return {
    width: Math.max(360, 120 * axes.length),
    height: 300,
    layer: [
      {
        data: { values: axes.map((a) => ({ axis: a.name })) },
        mark: { type: 'rule', color: '#888' },
        encoding: { x, y: { datum: 0, type: 'quantitative', axis: null, scale: { domain: [0, 1] } }, y2: { datum: 1 } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.2, opacity: 0.7 },
        encoding: {
          // Draw in row order (vega-lite would sort a line by x), so each trial's points stay together.
          x, y, order: { field: 'seq', type: 'quantitative' },
          color: { field: 'band', type: 'ordinal', title: study.objective, sort: bands.labels, scale: { domain: bands.labels, scheme: 'blues' } },
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333' },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}

/** Equal-width bins of the objective, ordered worst to best (the order they are drawn and shaded). */
function objectiveBands(values: number[], direction: ReportStudy['direction']): { labels: string[]; of: (v: number) => number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const count = hi > lo ? BANDS : 1;
  const width = (hi - lo) / count;
  const bin = (v: number): number => (count === 1 ? 0 : Math.min(count - 1, Math.floor((v - lo) / width)));
  const range = (i: number): string => (count === 1 ? formatValue(lo) : `${formatValue(lo + i * width)} – ${formatValue(lo + (i + 1) * width)}`);
  const worstFirst = (i: number): number => (direction === 'maximize' ? i : count - 1 - i);
  return {
    labels: Array.from({ length: count }, (_, k) => range(worstFirst(k))),
    of: (v) => worstFirst(bin(v)),
  };
}

/**
 * One slice plot per param: objective against the param's value over complete trials, coloured by
 * trial number (later trials darker); log params on a log axis, categorical ones as categories.
 * @example
 * sliceCharts(study, trials, reportParams(study, trials)).length // one per param
 */
export function sliceCharts(study: Pick<ReportStudy, 'objective'>, trials: readonly ReportTrial[], params: readonly ReportParam[]): Array<{ param: string; spec: TopLevelSpec }> {
  const scored = scoredTrials(trials);
  return params.map((p) => {
    const numeric = isNumericParam(p, trials);
    const values = scored
      .filter((t) => Object.hasOwn(t.params, p.name))
      .filter((t) => !numeric || (typeof t.params[p.name] === 'number' && Number.isFinite(t.params[p.name]) && (!isLogParam(p) || (t.params[p.name] as number) > 0)))
      .map((t) => ({ trial: t.number, objective: t.value, value: numeric ? t.params[p.name] : formatValue(t.params[p.name]) }));
    const xEnc = numeric
      ? { field: 'value', type: 'quantitative' as const, title: p.name, scale: isLogParam(p) ? { type: 'log' as const } : { zero: false } }
      : { field: 'value', type: 'nominal' as const, title: p.name, sort: choicesOf(p).map(formatValue), axis: { labelAngle: 0, labelLimit: 100 } };
    const spec: TopLevelSpec = {
      width: 240,
      height: 180,
      data: { values },
      mark: { type: 'point', filled: true, size: 28, opacity: 0.75 },
      encoding: {
        x: xEnc,
        y: { field: 'objective', type: 'quantitative', title: study.objective, scale: { zero: false } },
        color: { field: 'trial', type: 'quantitative', title: 'trial', scale: { scheme: 'blues' }, legend: null },
      },
    };
    return { param: p.name, spec };
  });
}

/**
 * Importance bars, most important on top, each labelled with its share.
 * @example
 * importanceChart([{ name: 'x', importance: 0.9 }, { name: 'y', importance: 0.1 }])
 */
export function importanceChart(importances: readonly ParamImportance[]): TopLevelSpec {
  const values = importances.map((p) => ({ param: p.name, importance: p.importance, label: p.importance.toFixed(3) }));
  const y = { field: 'param', type: 'nominal' as const, title: null, sort: importances.map((p) => p.name), axis: { labelLimit: 200 } };
  return {
    width: 400,
    height: Math.max(60, 26 * values.length),
    data: { values },
    encoding: { y, x: { field: 'importance', type: 'quantitative', title: 'importance (share)', scale: { domain: [0, 1] } } },
    layer: [
      { mark: { type: 'bar', color: '#1f77b4' } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 11 }, encoding: { text: { field: 'label', type: 'nominal' } } },
    ],
  };
}
