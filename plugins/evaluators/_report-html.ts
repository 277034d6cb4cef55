import type { MetricValues } from '../../core/index.ts';
import type { ProblemSpec } from '../kinds.ts';
import { escapeHtml } from './html-escape.ts';

/** One chart of the report: a heading and its rendered SVG. */
export interface ReportChart {
  title: string;
  svg: string;
}

/**
 * Metric values to 4 decimals (1 from 1000 up); enough to compare, short enough to read.
 * @example
 * formatMetric(0.83333) // '0.8333'
 */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toFixed(4);
}

/**
 * The whole report as one self-contained HTML page: inline CSS and SVG, no scripts, no external
 * assets, so it opens offline and can be mailed or archived as one file.
 * @example
 * const html = reportHtml({ title: 'penguins', problem, metrics, perClass: {}, charts: [] });
 */
export function reportHtml(input: {
  title: string;
  problem: ProblemSpec;
  metrics: MetricValues;
  perClass: Record<string, Record<string, number>>;
  charts: ReportChart[];
  notes?: string[];
}): string {
  const { title, problem, metrics, perClass, charts, notes = [] } = input;
  const names = Object.keys(metrics).filter((k) => !k.startsWith('baseline_'));
  const metricRows = names
    .map((k) => {
      const cls = k === problem.metric ? ' class="primary"' : '';
      return `<tr${cls}><td>${escapeHtml(k)}</td><td>${formatMetric(metrics[k])}</td><td>${formatMetric(metrics[`baseline_${k}`])}</td></tr>`;
    })
    .join('\n');
  const classNames = Object.keys(perClass);
  const scoreNames = [...new Set(classNames.flatMap((c) => Object.keys(perClass[c]!)))];
  const perClassTable = classNames.length
    ? `<h2>Per class</h2><table><tr><th>class</th>${scoreNames.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}</tr>
${classNames
  .map((c) => `<tr><td>${escapeHtml(c)}</td>${scoreNames.map((s) => `<td>${s === 'support' ? String(perClass[c]![s] ?? '—') : formatMetric(perClass[c]![s])}</td>`).join('')}</tr>`)
  .join('\n')}</table>`
    : '';
  const problemFacts = [
    ['target', problem.target],
    ['task', problem.task],
    ['metric', problem.metric],
    ...(problem.classes ? [['classes', problem.classes.join(', ')]] : []),
    ...(problem.positiveClass ? [['positive class', problem.positiveClass]] : []),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
td:first-child,th:first-child{text-align:left}tr.primary td{font-weight:bold;background:#eef4fb}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
.notes{color:#555;font-size:.9rem}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<h2>Problem</h2>
<table>${problemFacts.map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`).join('')}</table>
<h2>Metrics</h2>
<table><tr><th>metric</th><th>model</th><th>baseline</th></tr>
${metricRows}
</table>
${perClassTable}
<h2>Charts</h2>
<div class="charts">
${charts.map((c) => `<figure><figcaption>${escapeHtml(c.title)}</figcaption>${c.svg}</figure>`).join('\n')}
</div>
${notes.length ? `<div class="notes">${notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}</div>` : ''}
</body></html>
`;
}
