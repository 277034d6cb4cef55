/**
 * `mlcycle monitor`'s report for people: a table of per-feature verdicts, the dataset verdict, the
 * prediction (and label) distribution against training's, and scores on labelled rows.
 */
import type { FeatureDrift } from '../../plugins/monitor/drift-tests.ts';
import type { Distribution, MonitorReport } from '../../plugins/monitor/monitor-model.ts';
import { createTable } from '../render/table.ts';

const num = (v: number, digits = 3): string => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(digits)).toString()) : '–');
const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;

/**
 * The whole report as text, for stdout.
 * @example
 * ctx.stdout.write(monitorText(report, { source: 'new.csv' }, ctx.stdout));
 */
export function monitorText(report: MonitorReport, input: { source: string }, stream: NodeJS.WritableStream): string {
  const { model, drift } = report;
  const t = drift.thresholds;
  const lines: string[] = [];
  const version = model.version === null ? '' : `, version ${model.version}`;
  lines.push(`monitor ${model.name} (${model.uri}${version}, ${model.algorithm}) on ${input.source}: ${report.rows} rows`, '');
  const table = createTable(['feature', 'kind', 'test', 'statistic', 'p-value / distance', 'threshold', 'drifted', 'PSI', 'notes'], stream);
  for (const f of drift.features) table.push(featureRow(f, t));
  lines.push(table.toString());
  for (const s of report.skipped) lines.push(`not monitored: ${s.name} (${s.reason})`);
  const share = t.datasetShare === 0.5 ? 'half' : `a share of ${t.datasetShare}`;
  lines.push(`dataset drift: ${drift.driftedFeatures} of ${drift.features.length} features drifted (threshold: ${share}) → ${drift.datasetDrift ? 'DRIFT' : 'no drift'}`, '');

  const p = report.prediction;
  const from = p.source === 'log' ? 'logged predictions' : 'predictions';
  if (p.drift) {
    lines.push(`${from} (reported, not counted toward dataset drift): ${verdict(p.drift, t)}`);
    lines.push(`  ${p.predicted} predicted${p.notPredicted ? `, ${p.notPredicted} without a prediction` : ''}${shares(report.distributions.prediction)}`);
  }
  if (report.target) lines.push(`labels '${model.target}' (reported, not counted toward dataset drift): ${verdict(report.target, t)}`);
  const perf = report.performance;
  if (perf) {
    lines.push('', `performance on ${perf.rows} labelled rows (the bundle's metrics: its DAG's test split or cross-validation):`);
    const scores = createTable(['metric', 'new data', 'bundle', 'difference'], stream);
    for (const [name, value] of Object.entries(perf.metrics)) {
      const ref = perf.reference[name];
      const diff = perf.difference[name];
      scores.push([name === perf.primary ? `${name} *` : name, num(value, 4), ref === undefined ? '–' : num(ref, 4), diff === undefined ? '–' : `${diff >= 0 ? '+' : ''}${num(diff, 3)}`]);
    }
    lines.push(scores.toString());
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

function featureRow(f: FeatureDrift, t: MonitorReport['drift']['thresholds']): string[] {
  const isP = f.test === 'ks' || f.test === 'chi-squared';
  const score = f.test === 'none' ? '–' : isP ? `p=${num(f.score)}` : num(f.score);
  const threshold = f.test === 'none' ? '–' : isP ? `p < ${t.pValue}` : `>= ${t.distance}`;
  return [f.name, f.kind, f.test, num(f.statistic), score, threshold, f.drifted ? 'yes' : 'no', num(f.psi), featureNotes(f).join('; ')];
}

/**
 * The checks no test covers, as short phrases: out-of-range values, new categories, a missing-share jump.
 * @example
 * featureNotes(feature) // ['13 above the training max (11.3%)']
 */
export function featureNotes(f: FeatureDrift): string[] {
  const notes: string[] = [];
  if (f.test === 'none') notes.push('no values');
  const r = f.outOfRange;
  if (r && r.below + r.above > 0) {
    const parts = [r.below ? `${r.below} below min` : '', r.above ? `${r.above} above max` : ''].filter(Boolean);
    notes.push(`out of range: ${parts.join(', ')} (${pct(r.share)})`);
  }
  const fresh = Object.entries(f.newCategories ?? {});
  if (fresh.length) {
    const shown = fresh.sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, n]) => `${JSON.stringify(k).slice(0, 40)} (${n})`);
    notes.push(`new categories: ${shown.join(', ')}${fresh.length > 5 ? `, +${fresh.length - 5} more` : ''}`);
  }
  if (f.missing.jumped) notes.push(`missing ${pct(f.missing.reference)} → ${pct(f.missing.current)}`);
  return notes;
}

function verdict(f: FeatureDrift, t: MonitorReport['drift']['thresholds']): string {
  if (f.test === 'none') return 'no values to compare';
  const isP = f.test === 'ks' || f.test === 'chi-squared';
  const score = isP ? `p=${num(f.score)} (drift when < ${t.pValue})` : `distance ${num(f.score)} (drift when >= ${t.distance})`;
  return `${f.test} ${score}, PSI ${num(f.psi)} → ${f.drifted ? 'drifted' : 'no drift'}${featureNotes(f).length ? `; ${featureNotes(f).join('; ')}` : ''}`;
}

/** Classes as `Adelie 44.1% → 39.0%` (training → now); nothing for numbers (the HTML report draws them). */
function shares(d: Distribution | null): string {
  if (!d || d.kind !== 'categorical') return '';
  const parts = d.categories.slice(0, 8).map((c, i) => `${c} ${pct(d.reference[i]!)} → ${pct(d.current[i]!)}`);
  return `; training → now: ${parts.join(', ')}${d.categories.length > 8 ? ', …' : ''}`;
}
