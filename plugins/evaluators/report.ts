import { defineTask, Json, Metrics, Type } from '../../core/index.ts';
import { Model, Problem, Report } from '../kinds.ts';
import { confusionChart, learningChart, rocChart, scatterChart } from './_charts.ts';
import { historyRows } from './_history.ts';
import { reportHtml, type ReportChart } from './_report-html.ts';
import { renderSvg } from './render-svg.ts';

/**
 * Renders the evaluation as one self-contained HTML page: the problem, a metrics table with the
 * baseline beside each metric (the problem's metric highlighted), per-class scores, and inline SVG
 * charts: confusion matrix and ROC curves (classification), predicted vs actual (regression), and
 * the learning curve when the model stored its per-epoch history in `info.history`.
 * @example
 * const { report } = b.add('report', report, { metrics: ev.metrics, details: ev.details, problem: p.problem, model: fit.model });
 */
export const report = defineTask({
  name: 'evaluators/report',
  version: 1,
  params: Type.Object({
    title: Type.String({ default: '', description: "Page title; '' means 'Evaluation: <target> (<task>)'" }),
  }),
  inputs: { metrics: Metrics, details: Json, problem: Problem, model: Model },
  outputs: { report: Report },
  async run({ metrics, details, problem, model }, { title }) {
    const charts: ReportChart[] = [];
    const notes: string[] = [];
    if (details?.confusionMatrix) {
      charts.push({ title: 'Confusion matrix (rows: actual, columns: predicted)', svg: await renderSvg(confusionChart(details.confusionMatrix)) });
    }
    const roc = Object.fromEntries(Object.entries(details?.roc ?? {}).filter(([, r]: [string, any]) => r.points?.length));
    if (Object.keys(roc).length) {
      const label = problem.task === 'binary' ? `ROC curve (positive class: ${Object.keys(roc)[0]})` : 'ROC curves (one-vs-rest)';
      charts.push({ title: label, svg: await renderSvg(rocChart(roc as any)) });
    }
    if (Array.isArray(details?.pairs) && details.pairs.length) {
      charts.push({ title: 'Predicted vs actual', svg: await renderSvg(scatterChart(details.pairs)) });
      if (details.pairsCapped) notes.push(`The scatter plot shows ${details.pairs.length} of ${details.rows} rows, evenly spaced.`);
    }
    const history = historyRows(model.info);
    if (history.length) charts.push({ title: 'Learning curve', svg: await renderSvg(learningChart(history)) });
    if (details?.mapeSkippedZeroActuals) notes.push(`MAPE skips the ${details.mapeSkippedZeroActuals} row(s) whose actual value is 0.`);
    if (details?.baseline?.strategy) notes.push(`Baseline: ${details.baseline.strategy}, fitted on the train split.`);
    const html = reportHtml({
      title: title || `Evaluation: ${problem.target} (${problem.task})`,
      problem,
      metrics,
      perClass: details?.perClass ?? {},
      charts,
      notes,
    });
    return { report: new TextEncoder().encode(html) };
  },
});
