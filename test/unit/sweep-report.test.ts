/**
 * The sweep report (cli/sweep-report/): the HTML page with its charts rendered to SVG, escaping of
 * every user string, the edge cases (no trials, no complete trials, one trial, conditional and
 * all-categorical spaces, non-finite intermediate values), and parameter importances against
 * Optuna 3.1's fANOVA. test/fixtures/sweep/importance-golden.py (run with /usr/bin/python3) writes
 * the golden: 60 fixed trials of x² + 0.4·y² with a noise categorical z, Optuna's importances for
 * five forest seeds, and one scikit-learn tree with Optuna's own per-tree fANOVA numbers on it.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { choice, float, int, type Space } from '../../core/sweep/space.ts';
import type { CartTree } from '../../plugins/algorithms/_cart.ts';
import { FanovaTree } from '../../cli/sweep-report/_fanova-tree.ts';
import { intermediateChart, historyChart } from '../../cli/sweep-report/charts-progress.ts';
import { parallelChart } from '../../cli/sweep-report/charts-params.ts';
import { sweepReportHtml } from '../../cli/sweep-report/html.ts';
import { paramImportances } from '../../cli/sweep-report/importance.ts';
import { intermediatePoints, rankTrials, reportParams, spaceOf, type ReportStudy, type ReportTrial } from '../../cli/sweep-report/summary.ts';

interface Golden {
  space: Space;
  trials: Array<{ number: number; params: Record<string, number | string>; value: number }>;
  fanovaBySeed: Record<string, Record<string, number>>;
  fanovaMean: Record<string, number>;
  ranking: string[];
  treeCheck: {
    feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[];
    bounds: Array<[number, number]>; columns: number[][]; variance: number; marginal: number[];
  };
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/sweep/importance-golden.json', import.meta.url), 'utf8')) as Golden;

const EVIL = '<img src=x onerror="alert(1)">';

function study(over: Partial<ReportStudy> = {}): ReportStudy {
  return {
    id: 's1', name: 'tabular-wine', dag: 'dags/tabular.ts', objective: 'cv.accuracy.mean', direction: 'maximize',
    space: {}, sampler: { kind: 'tpe', nStartupTrials: 10 }, pruner: { kind: 'median' }, pruneOn: 'val_score',
    trials: 20, status: 'finished', error: null, ...over,
  };
}

function trial(number: number, params: ReportTrial['params'], value: number | null, over: Partial<ReportTrial> = {}): ReportTrial {
  return { number, params, state: value === null ? 'failed' : 'complete', value, intermediate: {}, runId: `run-${number}`, error: null, prunedStep: null, ...over };
}

/** A seeded stream in [0, 1) so studies are the same every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** A conditional study: algorithm picks a branch, each with its own param; some pruned and failed trials. */
function conditionalStudy(n: number): { study: ReportStudy; trials: ReportTrial[] } {
  const space: Space = {
    algorithm: choice({ logreg: { C: float(1e-3, 1e3, { log: true }) }, forest: { nEstimators: int(50, 500) } }),
    activation: choice(['relu', EVIL, null, true]),
  };
  const r = lcg(7);
  const trials = Array.from({ length: n }, (_, i) => {
    const algorithm = r() < 0.5 ? 'logreg' : 'forest';
    const params: ReportTrial['params'] = { algorithm, activation: ['relu', EVIL, null, true][Math.floor(r() * 4)]! };
    if (algorithm === 'logreg') params['logreg.C'] = Math.exp(Math.log(1e-3) + r() * Math.log(1e6));
    else params['forest.nEstimators'] = 50 + Math.floor(r() * 451);
    const value = 0.7 + (algorithm === 'forest' ? 0.2 : 0) + 0.02 * r();
    const state = i % 7 === 3 ? 'pruned' : i % 11 === 5 ? 'failed' : 'complete';
    const steps = state === 'pruned' ? 3 : 8;
    const intermediate: Record<number, number | null> = {};
    for (let k = 0; k < steps; k++) intermediate[k] = value * (1 - Math.exp(-(k + 1) / 3));
    if (i % 5 === 0) intermediate[1] = null; // NaN as JSON stores it
    if (i % 6 === 0) intermediate[2] = Number.POSITIVE_INFINITY;
    return trial(i, params, state === 'complete' ? value : null, { state, intermediate, prunedStep: state === 'pruned' ? steps - 1 : null });
  });
  return { study: study({ space, name: `wine <b>${EVIL}</b>`, trials: n }), trials };
}

const svgOf = (html: string, id: string): string | undefined => html.match(new RegExp(`<figure id="${id}"[^>]*>.*?(<svg[\\s\\S]*?</svg>)</figure>`, 's'))?.[1];

describe('parameter importances (fANOVA, Optuna 3.1 default evaluator)', () => {
  const trials = golden.trials.map((t) => trial(t.number, t.params, t.value));

  it("ranks x, y, z as Optuna does, x's share within 0.15 of Optuna's", () => {
    for (const seed of [0, 1, 2]) {
      const r = paramImportances(golden.space, trials, { seed });
      if (!r.ok) throw new Error(r.reason);
      expect(r.evaluator).toBe('fanova');
      expect(r.importances.map((p) => p.name)).toEqual(golden.ranking);
      expect(r.importances.reduce((s, p) => s + p.importance, 0)).toBeCloseTo(1, 12);
      const x = r.importances.find((p) => p.name === 'x')!.importance;
      expect(Math.abs(x - golden.fanovaMean.x!)).toBeLessThan(0.15);
      // Every one of Optuna's seeds agrees with the ranking too: the golden is not a lucky draw.
      for (const s of Object.values(golden.fanovaBySeed)) expect(Object.keys(s).sort((a, b) => s[b]! - s[a]!)).toEqual(golden.ranking);
    }
  });

  it("matches Optuna's per-tree fANOVA exactly on the same scikit-learn tree (numeric and one-hot columns)", () => {
    const g = golden.treeCheck;
    const tree: CartTree = {
      feature: Int32Array.from(g.feature), threshold: Float64Array.from(g.threshold),
      left: Int32Array.from(g.left), right: Int32Array.from(g.right), value: Float64Array.from(g.value), outputs: 1,
    };
    const f = new FanovaTree(tree, g.bounds);
    expect(f.variance).toBeCloseTo(g.variance, 9);
    g.columns.forEach((cols, i) => expect(f.marginalVariance(cols)).toBeCloseTo(g.marginal[i]!, 9));
  });

  it('assesses only params present in every complete trial, gives single-valued params 0, and says why it cannot', () => {
    const { study: s, trials: ts } = conditionalStudy(40);
    const r = paramImportances(spaceOf(s), ts);
    if (!r.ok) throw new Error(r.reason);
    expect(r.importances.map((p) => p.name).sort()).toEqual(['activation', 'algorithm']);
    expect(r.skipped.sort()).toEqual(['forest.nEstimators', 'logreg.C']);
    expect(r.importances[0]!.name).toBe('algorithm'); // the objective is +0.2 for forest

    const fixedSpace: Space = { x: float(0, 1), k: int(3, 3) };
    const fixedTrials = [0.1, 0.5, 0.9].map((x, i) => trial(i, { x, k: 3 }, x * x));
    const fixed = paramImportances(fixedSpace, fixedTrials);
    expect(fixed.ok && fixed.importances).toEqual([{ name: 'x', importance: 1 }, { name: 'k', importance: 0 }]);

    expect(paramImportances(fixedSpace, fixedTrials.slice(0, 1))).toEqual({ ok: false, reason: 'needs at least 2 complete trials, the study has 1' });
    const flat = paramImportances(fixedSpace, [trial(0, { x: 0.1, k: 3 }, 1), trial(1, { x: 0.7, k: 3 }, 1)]);
    expect(flat).toEqual({ ok: false, reason: 'the objective does not vary across the complete trials' });
  });
});

describe('sweepReportHtml', () => {
  it('renders every chart as inline SVG for a conditional study with pruned and failed trials', async () => {
    const { study: s, trials } = conditionalStudy(40);
    const html = await sweepReportHtml(s, trials);
    const dir = mkdtempSync(join(tmpdir(), 'sweep-report-'));
    writeFileSync(join(dir, 'sweep.html'), html); // the page is one file: nothing else to write
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const id of ['history', 'parallel', 'importance', 'intermediate']) expect(svgOf(html, id)).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const params = reportParams(s, trials).map((p) => p.name);
    expect(params).toEqual(['activation', 'algorithm', 'logreg.C', 'forest.nEstimators']); // the space's walk order
    params.forEach((p, i) => expect(html).toContain(`<figure id="slice-${i}" class="small"><figcaption>${p}</figcaption><svg`));
    expect(html).not.toMatch(/<script|src=["']?http|<link/i); // self-contained, no scripts

    // Header facts and the best trial, in the study's direction.
    const best = rankTrials(trials, 'maximize')[0]!;
    expect(html).toContain('<tr><th>objective</th><td>cv.accuracy.mean (maximize)</td></tr>');
    expect(html).toContain('<tr><th>sampler</th><td>tpe (nStartupTrials=10)</td></tr>');
    expect(html).toContain('<tr><th>pruner</th><td>median on val_score</td></tr>');
    expect(html).toMatch(/<tr><th>trials<\/th><td>40 of 40: 31 complete, 6 pruned, 3 failed<\/td><\/tr>/);
    expect(html).toContain(`<h2>Best trial</h2>\n<table class="facts"><tr><th>trial</th><td>#${best.number}</td>`);
    const top = html.match(/<table id="top-trials">([\s\S]*?)<\/table>/)![1]!;
    expect(top.match(/<tr><td>/g)).toHaveLength(10);
    expect(top).toContain(`<tr><td>1</td><td>#${best.number}</td>`);

    // The history chart marks the pruned and failed trials; the legend names them.
    const history = svgOf(html, 'history')!;
    expect(history).toContain('pruned');
    expect(history).toContain('failed');
    expect(history).toContain('best so far');
    // Importance bars name the assessed params; the conditional ones are reported as not assessed.
    expect(svgOf(html, 'importance')).toContain('algorithm');
    expect(html).toContain('Not assessed (absent from some complete trials): logreg.C, forest.nEstimators.');
  });

  it('escapes every user string: study name, param values, errors', async () => {
    const { study: s, trials } = conditionalStudy(40);
    const html = await sweepReportHtml({ ...s, error: `bad ${EVIL}`, dag: `dags/${EVIL}.ts` }, trials);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<title>Sweep wine &lt;b&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;/b&gt;</title>');
    expect(html).toContain('<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>'); // a param value in the top table
    // Inside the SVGs the value appears only escaped (vega escapes its text and attributes).
    expect(svgOf(html, 'slice-0')).toContain('&lt;img src=x onerror=');
  });

  it('says there is nothing to rank when no trial completed, and does not crash with no trials at all', async () => {
    const empty = await sweepReportHtml(study({ space: { x: float(0, 1) } }), []);
    expect(empty).toContain('No complete trials yet: nothing to rank or chart by objective.');
    expect(empty).not.toContain('<svg');

    const failed = [trial(0, { x: 0.5 }, null, { error: 'boom' }), trial(1, { x: 0.2 }, null, { state: 'pruned', intermediate: { 0: 0.3, 1: 0.2 } })];
    const html = await sweepReportHtml(study({ space: { x: float(0, 1) } }), failed);
    expect(html).toContain('No complete trials yet (0 complete, 1 pruned, 1 failed)');
    expect(svgOf(html, 'history')).toContain('<svg');
    expect(svgOf(html, 'intermediate')).toContain('<svg');
    expect(html).not.toContain('id="parallel"');
    expect(html).not.toContain('id="top-trials"');
  });

  it('renders a single trial (importances need two) and an all-categorical space', async () => {
    const one = await sweepReportHtml(study({ space: { x: float(0, 1) } }), [trial(0, { x: 0.25 }, 0.5)]);
    expect(svgOf(one, 'history')).toContain('<svg');
    expect(svgOf(one, 'parallel')).toContain('<svg');
    expect(svgOf(one, 'slice-0')).toContain('<svg');
    expect(one).toContain('Parameter importances not shown: needs at least 2 complete trials, the study has 1.');

    const space: Space = { a: choice(['p', 'q', 'r']), b: choice([true, false]) };
    const r = lcg(3);
    const trials = Array.from({ length: 30 }, (_, i) => {
      const a = ['p', 'q', 'r'][Math.floor(r() * 3)]!;
      const b = r() < 0.5;
      return trial(i, { a, b }, (a === 'r' ? 2 : 0) + (b ? 0.1 : 0) + 0.01 * r());
    });
    const html = await sweepReportHtml(study({ space, direction: 'minimize', objective: 'metrics.rmse' }), trials);
    for (const id of ['history', 'parallel', 'importance', 'slice-0', 'slice-1']) expect(svgOf(html, id)).toContain('<svg');
    expect(html).not.toContain('id="intermediate"'); // no trial reported steps
    const imp = paramImportances(space, trials);
    expect(imp.ok && imp.importances[0]!.name).toBe('a');
  });
});

describe('chart data', () => {
  it('drops NaN, Infinity and null intermediate values and breaks the line between trials', () => {
    expect(intermediatePoints({ intermediate: { 2: 0.7, 0: 0.5, 1: null, 3: Number.NaN, 4: Number.NEGATIVE_INFINITY } })).toEqual([[0, 0.5], [2, 0.7]]);
    expect(intermediatePoints({ intermediate: new Map([[1, 0.2], [0, Number.NaN]]) })).toEqual([[1, 0.2]]);
    const { trials } = conditionalStudy(20);
    const spec = intermediateChart({ pruneOn: 'val_score' }, trials) as { data: { values: Array<{ trial: number; value: number | null }> } };
    const rows = spec.data.values;
    expect(rows.every((v) => v.value === null || Number.isFinite(v.value))).toBe(true);
    // One null row closes each trial that has points, so lines never join across trials.
    const withPoints = trials.filter((t) => intermediatePoints(t).length > 0).length;
    expect(rows.filter((v) => v.value === null)).toHaveLength(withPoints);
  });

  it('leaves a conditional param out of the lines of trials that lack it', () => {
    const { study: s, trials } = conditionalStudy(20);
    const spec = parallelChart(s, trials, reportParams(s, trials)) as { layer: Array<{ data: { values: Array<{ trial: number; axis: string; pos: number | null }> } }> };
    const lines = spec.layer[1]!.data.values;
    const logreg = trials.find((t) => t.state === 'complete' && t.params.algorithm === 'logreg')!;
    const axes = lines.filter((l) => l.trial === logreg.number && l.pos !== null).map((l) => l.axis);
    expect(axes).toEqual(['cv.accuracy.mean', 'activation', 'algorithm', 'logreg.C']);
    expect(lines.every((l) => l.pos === null || (l.pos >= 0 && l.pos <= 1))).toBe(true);
  });

  it('puts only complete trials in the history, with the best so far in the study direction', () => {
    const trials = [trial(0, {}, 3), trial(1, {}, null), trial(2, {}, 1), trial(3, {}, 2, { state: 'pruned', value: 2 }), trial(4, {}, 5)];
    const spec = historyChart({ direction: 'minimize', objective: 'loss' }, trials) as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }> };
    expect(spec.layer[1]!.data.values).toEqual([{ trial: 0, value: 3, best: 3 }, { trial: 2, value: 1, best: 1 }, { trial: 4, value: 5, best: 1 }]);
    expect(spec.layer[0]!.data.values).toEqual([{ trial: 1, series: 'failed' }, { trial: 3, series: 'pruned' }]);
  });
});
