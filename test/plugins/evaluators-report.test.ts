import { describe, expect, it } from '@jest/globals';
import { table } from 'arquero';
import { Table } from '../../core/index.ts';
import type { ModelSpec, ProblemSpec } from '../../plugins/kinds.ts';
import { evaluate } from '../../plugins/evaluators/evaluate.ts';
import { report } from '../../plugins/evaluators/report.ts';
import { runTask } from '../helpers/task-context.ts';

const roundTrip = (columns: Record<string, unknown[]>) => Table.decode(Table.encode(table(columns)));
const svgCount = (html: string) => (html.match(/<svg[\s>]/g) ?? []).length;

describe('evaluators/report', () => {
  it('binary: metrics with baselines, confusion matrix, ROC curve and learning curve as inline SVG', async () => {
    const problem: ProblemSpec = { target: 'bought', task: 'binary', metric: 'roc_auc', classes: ['no', 'yes'], positiveClass: 'yes' };
    const predictions = roundTrip({
      predicted: ['yes', 'no', 'no', 'yes', 'yes'],
      prob_no: [0.1, 0.6, 0.8, 0.4, 0.3],
      prob_yes: [0.9, 0.4, 0.2, 0.6, 0.7],
      actual: ['yes', 'yes', 'no', 'no', 'yes'],
    });
    const { metrics, details } = await runTask(evaluate, { predictions, train: roundTrip({ bought: ['no', 'no', 'yes'] }), problem });
    const model: ModelSpec = {
      algorithm: 'mlp', task: 'binary', target: 'bought', features: ['x'], classes: ['no', 'yes'],
      info: { history: { loss: [0.9, 0.6, 0.5], val_loss: [1.0, 0.8, 0.7], acc: [0.5, 0.6, 0.7] } },
    };
    const { report: bytes } = await runTask(report, { metrics, details, problem, model });
    expect(bytes).toBeInstanceOf(Uint8Array);
    const html = new TextDecoder().decode(bytes);
    expect(html).toMatch(/^<!doctype html>/);
    expect(svgCount(html)).toBe(3);
    expect(html).toContain('Confusion matrix');
    expect(html).toContain('ROC curve (positive class: yes)');
    expect(html).toContain('Learning curve');
    expect(html).toContain('val_loss');
    // Metric and baseline side by side; the problem's metric highlighted.
    expect(html).toContain('<tr class="primary"><td>roc_auc</td><td>0.8333</td><td>0.5000</td></tr>');
    expect(html).toContain('<tr><td>accuracy</td><td>0.6000</td><td>0.4000</td></tr>');
    // Self-contained: no scripts, no external fetches.
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });

  it('regression: predicted-vs-actual scatter, no learning curve without history', async () => {
    const problem: ProblemSpec = { target: 'y', task: 'regression', metric: 'rmse' };
    const predictions = roundTrip({ predicted: [2.5, 0, 2, 8], actual: [3, -0.5, 2, 7] });
    const { metrics, details } = await runTask(evaluate, { predictions, train: roundTrip({ y: [1, 2, 3] }), problem });
    const model: ModelSpec = { algorithm: 'linear-regression', task: 'regression', target: 'y', features: ['x'] };
    const { report: bytes } = await runTask(report, { metrics, details, problem, model }, { title: 'Houses <v2>' });
    const html = new TextDecoder().decode(bytes);
    expect(svgCount(html)).toBe(1);
    expect(html).toContain('Predicted vs actual');
    expect(html).toContain('<title>Houses &lt;v2&gt;</title>');
    expect(html).toContain('<tr class="primary"><td>rmse</td><td>0.6124</td>');
    expect(html).toContain('<td>r2</td><td>0.9486</td>');
  });
});
