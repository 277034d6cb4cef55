/**
 * The HTML report of a sweep (`mlcycle sweeps show <study> --report sweep.html`): one self-contained
 * page, like the evaluation report (inline CSS, charts as inline SVG rendered server-side by vega, no
 * scripts, no network), with the study's facts, its best and top trials, and Optuna's five study
 * plots: optimisation history, parallel coordinates, slices, parameter importances (fANOVA) and
 * intermediate values. Every user string (names, param values, errors) is HTML-escaped; SVG text is
 * escaped by vega's renderer.
 */
import { escapeHtml } from '../../plugins/evaluators/html-escape.ts';
import { renderSvg } from '../../plugins/evaluators/render-svg.ts';
import { hasIntermediate, historyChart, intermediateChart } from './charts-progress.ts';
import { importanceChart, parallelChart, sliceCharts } from './charts-params.ts';
import { paramImportances, type ImportanceResult } from './importance.ts';
import {
  describeSpec, formatValue, rankTrials, reportParams, spaceOf, stateCounts, TRIAL_STATES, type ReportParam, type ReportStudy, type ReportTrial,
} from './summary.ts';

/** Rows of the top-trials table. */
const TOP = 10;

/** A figure of the page: `id` is stable (tests and links find charts by it). */
interface Figure {
  id: string;
  title: string;
  svg: string;
  small?: boolean;
}

/**
 * The sweep report as one HTML page. Never throws on a study's content: no complete trials gives a
 * page that says so; a chart that cannot be drawn is left out with a note.
 * @example
 * const html = await sweepReportHtml(store.study('tabular-1'), store.trials('tabular-1'));
 * await writeFile('sweep.html', html);
 */
export async function sweepReportHtml(study: ReportStudy, trials: readonly ReportTrial[]): Promise<string> {
  const params = reportParams(study, trials);
  const ranked = rankTrials(trials, study.direction);
  const notes: string[] = [];
  const figures: Figure[] = [];
  const finished = trials.some((t) => t.state === 'complete' || t.state === 'pruned' || t.state === 'failed');
  if (finished) figures.push({ id: 'history', title: 'Optimisation history', svg: await renderSvg(historyChart(study, trials)) });
  let importance: ImportanceResult | undefined;
  if (ranked.length) {
    if (params.length) figures.push({ id: 'parallel', title: 'Parallel coordinates', svg: await renderSvg(parallelChart(study, trials, params)) });
    importance = paramImportances(spaceOf(study), trials);
    if (importance.ok) {
      figures.push({ id: 'importance', title: 'Parameter importances (fANOVA)', svg: await renderSvg(importanceChart(importance.importances)) });
      notes.push(`Importances: Optuna 3.1's default evaluator (fANOVA over a random forest of 64 trees, max depth 64) on ${importance.trials} complete trials; shares sum to 1.`);
      if (importance.skipped.length) notes.push(`Not assessed (absent from some complete trials): ${importance.skipped.join(', ')}.`);
    } else {
      notes.push(`Parameter importances not shown: ${importance.reason}.`);
    }
  }
  if (hasIntermediate(trials)) {
    figures.push({ id: 'intermediate', title: 'Intermediate values', svg: await renderSvg(intermediateChart(study, trials)) });
  }
  const slices: Figure[] = [];
  if (ranked.length) {
    for (const s of sliceCharts(study, trials, params)) {
      slices.push({ id: `slice-${slices.length}`, title: s.param, svg: await renderSvg(s.spec), small: true });
    }
  }
  return page(study, trials, params, ranked, figures, slices, notes);
}

function page(
  study: ReportStudy, trials: readonly ReportTrial[], params: ReportParam[], ranked: ReportTrial[],
  figures: Figure[], slices: Figure[], notes: string[],
): string {
  const e = escapeHtml;
  const counts = stateCounts(trials);
  const best = ranked[0];
  const countText = TRIAL_STATES.filter((s) => counts[s] > 0 || s === 'complete').map((s) => `${counts[s]} ${s}`).join(', ');
  const facts: Array<[string, string]> = [
    ['DAG', String(study.dag)],
    ['objective', `${study.objective} (${study.direction})`],
    ['sampler', describeSpec(study.sampler)],
    ['pruner', describeSpec(study.pruner) + (study.pruneOn ? ` on ${study.pruneOn}` : '')],
    ['trials', `${trials.length}${study.trials !== undefined ? ` of ${study.trials}` : ''}: ${countText}`],
    ...(study.status ? [['status', study.status] as [string, string]] : []),
    ...(study.error ? [['error', study.error] as [string, string]] : []),
  ];
  const bestBlock = best
    ? `<h2>Best trial</h2>
<table class="facts"><tr><th>trial</th><td>#${best.number}</td></tr><tr><th>${e(study.objective)}</th><td>${e(formatValue(best.value))}</td></tr>
${Object.entries(best.params).map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(formatValue(v))}</td></tr>`).join('\n')}
${best.runId ? `<tr><th>run</th><td>${e(String(best.runId))}</td></tr>` : ''}</table>`
    : `<p class="empty">No complete trials yet${trials.length ? ` (${e(countText)})` : ''}: nothing to rank or chart by objective.</p>`;
  const top = ranked.slice(0, TOP);
  const topTable = top.length
    ? `<h2>Top trials</h2>
<table id="top-trials"><tr><th>rank</th><th>trial</th><th>${e(study.objective)}</th>${params.map((p) => `<th>${e(p.name)}</th>`).join('')}</tr>
${top.map((t, i) => `<tr><td>${i + 1}</td><td>#${t.number}</td><td>${e(formatValue(t.value))}</td>${params.map((p) => `<td>${e(formatValue(t.params[p.name]))}</td>`).join('')}</tr>`).join('\n')}
</table>`
    : '';
  const figure = (f: Figure): string => `<figure id="${f.id}"${f.small ? ' class="small"' : ''}><figcaption>${e(f.title)}</figcaption>${f.svg}</figure>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sweep ${e(study.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
td:first-child,th:first-child,table.facts th{text-align:left}table.facts td{text-align:left}
#top-trials tr:nth-child(2) td{font-weight:bold;background:#eef4fb}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
figure.small figcaption{font-weight:500;font-size:.9rem}
.empty{font-size:1.1rem;color:#a33}.notes{color:#555;font-size:.9rem}
</style></head><body>
<h1>Sweep ${e(study.name)}</h1>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>
${bestBlock}
${topTable}
${figures.length ? `<h2>Charts</h2>\n<div class="charts">\n${figures.map(figure).join('\n')}\n</div>` : ''}
${slices.length ? `<h2>Slices</h2>\n<div class="charts" id="slices">\n${slices.map(figure).join('\n')}\n</div>` : ''}
${notes.length ? `<div class="notes">${notes.map((n) => `<p>${e(n)}</p>`).join('')}</div>` : ''}
</body></html>
`;
}
