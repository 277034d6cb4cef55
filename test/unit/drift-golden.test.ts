/**
 * Every drift statistic equals scipy's to 1e-6 on the golden cases in test/fixtures/drift/golden.json,
 * made by test/fixtures/drift/make-golden.py (scipy 1.10).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { chiSquared, chiSquaredFromShares, chiSquaredHomogeneity } from '../../plugins/monitor/chi-squared.ts';
import { jensenShannonDistance } from '../../plugins/monitor/jensen-shannon.ts';
import { ksTwoSample } from '../../plugins/monitor/ks.ts';
import { binCounts, psi, psiEdges } from '../../plugins/monitor/psi.ts';
import { normalisedWasserstein, wassersteinDistance } from '../../plugins/monitor/wasserstein.ts';
import { kolmogorovSf } from '../../plugins/monitor/_kolmogorov.ts';
import { gammaQ } from '../../plugins/monitor/_special.ts';

interface Formula { n: number; mult: number; mod: number; scale: number; offset?: number }
interface SampleCase { name: string; a?: number[]; b?: number[]; formulaA?: Formula; formulaB?: Formula }

const golden = JSON.parse(readFileSync('test/fixtures/drift/golden.json', 'utf8'));
const TOL = 1e-6;

/** The same formula as make-golden.py, so the >10,000-value samples need not be stored. */
function formula(f: Formula): number[] {
  return Array.from({ length: f.n }, (_, i) => ((i * f.mult) % f.mod) / f.scale + (f.offset ?? 0));
}
const sides = (c: SampleCase): [number[], number[]] => [c.a ?? formula(c.formulaA!), c.b ?? formula(c.formulaB!)];

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(TOL);
}

describe('drift statistics equal scipy 1.10 to 1e-6', () => {
  it.each(golden.ks.map((c: SampleCase) => [c.name, c]))('ks_2samp %s', (_name, c) => {
    const [a, b] = sides(c as unknown as SampleCase);
    const res = ksTwoSample(a, b);
    close(res.statistic, (c as unknown as { statistic: number }).statistic);
    close(res.pValue, (c as unknown as { pValue: number }).pValue);
    expect(res.method).toBe(Math.max(a.length, b.length) > 10_000 ? 'asymp' : 'exact');
  });

  it('kstwo.sf on every branch of scipy _kolmogn', () => {
    for (const { n, x, sf } of golden.kstwo as { n: number; x: number; sf: number }[]) {
      const got = kolmogorovSf(n, x);
      if (Math.abs(got - sf) > TOL) throw new Error(`kstwo.sf(${x}, ${n}): got ${got}, scipy ${sf}`);
    }
  });

  it.each(golden.wasserstein.map((c: SampleCase) => [c.name, c]))('wasserstein_distance %s', (_name, c) => {
    const [a, b] = sides(c as unknown as SampleCase);
    const g = c as unknown as { distance: number; referenceStd: number; normalised: number };
    close(wassersteinDistance(a, b), g.distance);
    close(normalisedWasserstein(a, b, g.referenceStd), g.normalised);
  });

  it.each(golden.chiSquared.map((c: { name: string }) => [c.name, c]))('chisquare %s', (_name, c) => {
    const g = c as unknown as { observed: number[]; expected: number[]; statistic: number; pValue: number };
    const res = chiSquared(g.observed, g.expected);
    close(res.statistic, g.statistic);
    close(res.pValue, g.pValue);
  });

  it('chi2.sf on a grid of statistics and degrees of freedom', () => {
    for (const { x, df, sf } of golden.chi2Sf as { x: number; df: number; sf: number }[]) {
      const got = gammaQ(df / 2, x / 2);
      if (Math.abs(got - sf) > TOL) throw new Error(`chi2.sf(${x}, ${df}): got ${got}, scipy ${sf}`);
    }
  });

  it.each(golden.evidentlyCategorical.map((c: { name: string }) => [c.name, c]))('categories as Evidently: %s', (_name, c) => {
    const g = c as unknown as { reference: Record<string, number>; current: Record<string, number>; chiStatistic: number | 'Infinity'; chiPValue: number; jensenShannon: number; homogeneityStatistic: number; homogeneityPValue: number };
    const nRef = Object.values(g.reference).reduce((x, y) => x + y, 0);
    const shares = Object.fromEntries(Object.entries(g.reference).map(([k, v]) => [k, v / nRef]));
    const res = chiSquaredFromShares(shares, g.current);
    if (g.chiStatistic === 'Infinity') expect(res.statistic).toBe(Number.POSITIVE_INFINITY);
    else close(res.statistic, g.chiStatistic);
    close(res.pValue, g.chiPValue);
    const hom = chiSquaredHomogeneity(g.reference, g.current);
    close(hom.statistic, g.homogeneityStatistic);
    close(hom.pValue, g.homogeneityPValue);
    const keys = [...new Set([...Object.keys(g.reference), ...Object.keys(g.current)])];
    close(jensenShannonDistance(keys.map((k) => g.reference[k] ?? 0), keys.map((k) => g.current[k] ?? 0)), g.jensenShannon);
  });

  it.each(golden.jensenShannon.map((c: { name: string }) => [c.name, c]))('jensenshannon %s', (_name, c) => {
    const g = c as unknown as { p: number[]; q: number[]; distance: number };
    close(jensenShannonDistance(g.p, g.q), g.distance);
  });

  it.each(golden.psi.map((c: SampleCase) => [c.name, c]))('psi (numpy, documented binning) %s', (_name, c) => {
    const g = c as unknown as { a: number[]; b: number[]; edges: number[]; psi: number };
    const edges = psiEdges(Float64Array.from(g.a).sort());
    expect(edges.length).toBe(g.edges.length);
    edges.forEach((e, i) => close(e, g.edges[i]));
    close(psi(binCounts(g.a, edges), binCounts(g.b, edges)), g.psi);
  });
});
