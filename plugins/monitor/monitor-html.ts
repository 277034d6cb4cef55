/**
 * The HTML page of a monitor report (`mlcycle monitor --report drift.html`): self-contained like the
 * evaluation and sweep reports (inline CSS, charts as inline SVG rendered by vega, no scripts, no
 * network). Per feature, training against current shares (histogram bins for numbers, bars for
 * categories) beside its verdict; then predictions, labels and scores. Every user string (feature
 * and category names, paths) is HTML-escaped; SVG text is escaped by vega's renderer.
 */
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml as e } from '../evaluators/html-escape.ts';
import { renderSvg } from '../evaluators/render-svg.ts';
import type { FeatureDrift } from './drift-tests.ts';
import type { Distribution, MonitorReport } from './monitor-model.ts';

/**
 * The report page. `source` says what was monitored (a file, a log folder).
 * @example
 * writeUserFile('drift.html', await monitorReportHtml(report, { source: 'new.csv' }));
 */
export async function monitorReportHtml(report: MonitorReport, input: { source: string }): Promise<string> {
  const { model, drift } = report;
  const t = drift.thresholds;
  const sections: string[] = [];
  for (const [i, f] of drift.features.entries()) {
    const d = report.distributions.features[i]!;
    sections.push(await section(`feature-${i}`, f.name, f, d, t));
  }
  const extra: string[] = [];
  if (report.prediction.drift && report.distributions.prediction) {
    extra.push(await section('prediction', `Predictions${report.prediction.source === 'log' ? ' (logged)' : ''} — not counted toward dataset drift`, report.prediction.drift, report.distributions.prediction, t));
  }
  if (report.target && report.distributions.target) {
    extra.push(await section('target', `Labels '${model.target}' — not counted toward dataset drift`, report.target, report.distributions.target, t));
  }
  const facts: Array<[string, string]> = [
    ['model', `${model.name} (${model.uri}${model.version === null ? '' : `, version ${model.version}`}), ${model.algorithm}, ${model.task}`],
    ['data', `${input.source}: ${report.rows} rows`],
    ['dataset drift', `${drift.datasetDrift ? 'YES' : 'no'}: ${drift.driftedFeatures} of ${drift.features.length} features drifted (threshold: share ≥ ${t.datasetShare})`],
    ['tests', `reference ≤ ${t.smallReference} values: KS (numbers) / chi-squared (categories), drift when p < ${t.pValue}; larger: normalised Wasserstein / Jensen–Shannon, drift when ≥ ${t.distance}`],
  ];
  const perf = report.performance;
  const perfTable = perf
    ? `<h2>Performance on ${perf.rows} labelled rows</h2>
<table id="performance"><tr><th>metric</th><th>new data</th><th>bundle</th><th>difference</th></tr>
${Object.entries(perf.metrics).map(([k, v]) => `<tr><td>${e(k)}</td><td>${fmt(v)}</td><td>${Object.hasOwn(perf.reference, k) ? fmt(perf.reference[k]!) : '–'}</td><td>${Object.hasOwn(perf.difference, k) ? fmt(perf.difference[k]!) : '–'}</td></tr>`).join('\n')}
</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Drift: ${e(model.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
.features{display:flex;flex-wrap:wrap;gap:1.5rem}section.feature{border:1px solid #ddd;padding:.6rem;border-radius:4px}
section.drifted{border-color:#c33;background:#fff6f6}section h3{margin:.1rem 0 .4rem}.verdict{font-size:.9rem;margin:.2rem 0}
.yes{color:#b00;font-weight:600}.notes{color:#555;font-size:.9rem}
</style></head><body>
<h1>Drift report: ${e(model.name)}</h1>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>
<h2>Features</h2>
<div class="features">
${sections.join('\n')}
</div>
${report.skipped.length ? `<p class="notes">Not monitored: ${report.skipped.map((s) => `${e(s.name)} (${e(s.reason)})`).join(', ')}</p>` : ''}
${extra.length ? `<h2>Predictions and labels</h2>\n<div class="features">\n${extra.join('\n')}\n</div>` : ''}
${perfTable}
${report.notes.length ? `<div class="notes">${report.notes.map((n) => `<p>${e(n)}</p>`).join('')}</div>` : ''}
</body></html>
`;
}

async function section(id: string, title: string, f: FeatureDrift, d: Distribution, t: MonitorReport['drift']['thresholds']): Promise<string> {
  const isP = f.test === 'ks' || f.test === 'chi-squared';
  const score = f.test === 'none' ? 'no values' : isP ? `p = ${fmt(f.score)} (drift when < ${t.pValue})` : `distance ${fmt(f.score)} (drift when ≥ ${t.distance})`;
  const notes: string[] = [];
  if (f.outOfRange && f.outOfRange.below + f.outOfRange.above > 0) notes.push(`out of the training range: ${f.outOfRange.below} below, ${f.outOfRange.above} above`);
  const fresh = Object.entries(f.newCategories ?? {});
  if (fresh.length) notes.push(`new categories: ${fresh.slice(0, 10).map(([k, n]) => `${k} (${n})`).join(', ')}${fresh.length > 10 ? ', …' : ''}`);
  if (f.missing.jumped) notes.push(`missing share ${fmt(f.missing.reference)} → ${fmt(f.missing.current)}`);
  const svg = await renderSvg(chart(d));
  return `<section class="feature${f.drifted ? ' drifted' : ''}" id="${e(id)}" data-feature="${e(f.name)}"><h3>${e(title)}</h3>
<p class="verdict">${e(f.test)}: ${e(score)}, PSI ${fmt(f.psi)} — <span class="${f.drifted ? 'yes' : 'no'}">${f.drifted ? 'drifted' : 'no drift'}</span></p>
${notes.length ? `<p class="verdict">${e(notes.join('; '))}</p>` : ''}${svg}</section>`;
}

/** Grouped bars: per bin or category, the training share beside the current one. */
function chart(d: Distribution): TopLevelSpec {
  const rows: Array<{ bin: string; side: string; share: number; order: number }> = [];
  const add = (bin: string, order: number, ref: number, cur: number) => {
    rows.push({ bin, side: 'training', share: ref, order }, { bin, side: 'current', share: cur, order });
  };
  if (d.kind === 'numeric') {
    if (d.below > 0) add(`< ${fmt(d.edges[0]!)}`, -1, 0, d.below);
    d.reference.forEach((r, i) => add(`${fmt(d.edges[i]!)}–${fmt(d.edges[i + 1]!)}`, i, r, d.current[i]!));
    if (d.above > 0) add(`> ${fmt(d.edges[d.edges.length - 1]!)}`, d.reference.length, 0, d.above);
  } else {
    d.categories.forEach((c, i) => add(c, i, d.reference[i]!, d.current[i]!));
    if (d.other.reference > 0 || d.other.current > 0) add('(other)', d.categories.length, d.other.reference, d.other.current);
  }
  return {
    width: { step: d.kind === 'numeric' ? 9 : 16 },
    height: 140,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'bin', type: 'nominal', sort: { field: 'order' }, title: null, axis: { labelAngle: -45, labelLimit: 90 } },
      xOffset: { field: 'side', sort: ['training', 'current'] },
      y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '.0%' } },
      color: { field: 'side', type: 'nominal', sort: ['training', 'current'], scale: { range: ['#9ab', '#d62'] }, title: null },
    },
  } as TopLevelSpec;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}
