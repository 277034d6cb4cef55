import type { TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite specs for the evaluation report's charts. Data come in as plain rows; each builder
 * returns a spec that _svg.ts renders to SVG.
 */

const SIZE = { width: 320, height: 280 };

/**
 * Confusion-matrix heatmap: rows actual, columns predicted, in the problem's class order.
 * @example
 * confusionChart({ labels: ['a', 'b'], matrix: [[5, 1], [2, 7]] })
 */
export function confusionChart(cm: { labels: string[]; matrix: number[][] }): TopLevelSpec {
  const values = cm.labels.flatMap((a, i) => cm.labels.map((p, j) => ({ actual: a, predicted: p, count: cm.matrix[i]![j]! })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const sort = cm.labels;
  return {
    ...SIZE,
    title: 'Confusion matrix',
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort, title: 'predicted' },
      y: { field: 'actual', type: 'nominal', sort, title: 'actual' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domain: [0, max] } } } },
      {
        mark: { type: 'text', fontSize: 12 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          // Dark cells get white digits so counts stay readable.
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/**
 * ROC curves, one line per class (binary: the positive class), with the chance diagonal.
 * @example
 * rocChart({ yes: { auc: 0.9, points: [{ fpr: 0, tpr: 0 }, { fpr: 0.1, tpr: 0.8 }, { fpr: 1, tpr: 1 }] } })
 */
export function rocChart(roc: Record<string, { auc: number; points: Array<{ fpr: number; tpr: number }> }>): TopLevelSpec {
  const values = Object.entries(roc).flatMap(([c, r]) =>
    r.points.map((p, order) => ({ curve: `${c} (AUC ${r.auc.toFixed(3)})`, fpr: p.fpr, tpr: p.tpr, order })),
  );
  return {
    ...SIZE,
    title: 'ROC curve',
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        // Linear, not step: a run of tied scores moves both rates at once, a diagonal segment.
        mark: { type: 'line' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
          color: { field: 'curve', type: 'nominal', title: null, legend: { labelLimit: 0, orient: 'bottom-right' } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  };
}

/**
 * Learning curve: one line per series (loss, val_loss, …) over epochs.
 * @example
 * learningChart([{ epoch: 1, series: 'loss', value: 0.7 }, { epoch: 2, series: 'loss', value: 0.5 }])
 */
export function learningChart(rows: Array<{ epoch: number; series: string; value: number }>): TopLevelSpec {
  return {
    ...SIZE,
    title: 'Learning curve',
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: 'loss' },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 0 } },
    },
  };
}

/**
 * Predicted-vs-actual scatter for regression, with the y = x line a perfect model would sit on.
 * @example
 * scatterChart([{ actual: 1, predicted: 1.2 }, { actual: 2, predicted: 1.9 }])
 */
export function scatterChart(pairs: Array<{ actual: number; predicted: number }>): TopLevelSpec {
  const all = pairs.flatMap((p) => [p.actual, p.predicted]);
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  return {
    ...SIZE,
    title: 'Predicted vs actual',
    layer: [
      {
        data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: pairs },
        mark: { type: 'point', filled: true, opacity: 0.5, size: 20 },
        encoding: {
          x: { field: 'actual', type: 'quantitative', title: 'actual', scale: { zero: false } },
          y: { field: 'predicted', type: 'quantitative', title: 'predicted', scale: { zero: false } },
        },
      },
    ],
  };
}
