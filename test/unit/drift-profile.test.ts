/**
 * Reference profile and dataset drift on real data (test/fixtures/data/penguins.csv): the profile is
 * plain bounded JSON, tests are picked by reference size, and drift is found when present, not otherwise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { DataError, ValidationError } from '../../core/errors.ts';
import { detectDrift } from '../../plugins/monitor/dataset-drift.ts';
import { ksTwoSample } from '../../plugins/monitor/ks.ts';
import { buildProfile, type NumericProfile, type ReferenceProfile } from '../../plugins/monitor/profile.ts';
import { wassersteinDistance } from '../../plugins/monitor/wasserstein.ts';
import { mulberry32, permutation } from '../../plugins/random.ts';

function readCsv(path: string): Record<string, unknown[]> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  const cols: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) {
    line.split(',').forEach((cell, i) => cols[names[i]].push(cell === '' ? null : Number.isFinite(Number(cell)) ? Number(cell) : cell));
  }
  return cols;
}
const penguins = readCsv('test/fixtures/data/penguins.csv');
const rows = penguins.Species.length;
const take = (cols: Record<string, unknown[]>, idx: number[]) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, idx.map((i) => v[i])]));
const roundTrip = (p: ReferenceProfile): ReferenceProfile => JSON.parse(JSON.stringify(p));

describe('reference profile', () => {
  it('is JSON, keeps the whole column up to 1,000 values, and infers kinds', () => {
    const profile = roundTrip(buildProfile(penguins));
    const mass = profile.features.find((f) => f.name === 'Body Mass (g)') as NumericProfile;
    expect(profile.features.find((f) => f.name === 'Island')?.kind).toBe('categorical');
    expect(mass.kind).toBe('numeric');
    expect(mass.sampleIsComplete).toBe(true);
    expect(mass.count).toBe(342);
    expect(mass.missingShare).toBeCloseTo(2 / 344, 12);
    expect(mass.psiShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('bounds a large column by an even-quantile sample whose Wasserstein distance stays within 1 % of the full one', () => {
    const rand = mulberry32(3);
    const big = Array.from({ length: 50_000 }, () => Math.round(1000 * (rand() + rand() + rand())) / 100);
    const profile = buildProfile({ x: big });
    const x = profile.features[0] as NumericProfile;
    expect(x.sample.length).toBe(1000);
    expect(x.sampleIsComplete).toBe(false);
    expect(JSON.stringify(profile).length).toBeLessThan(20_000);
    const current = big.slice(0, 5000).map((v) => v + 0.3);
    const full = wassersteinDistance(big, current);
    expect(Math.abs(wassersteinDistance(x.sample, current) - full) / full).toBeLessThan(0.01);
  });

  it('refuses what it cannot profile, naming the column', () => {
    expect(() => buildProfile({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(DataError);
    expect(() => buildProfile({ a: [1, 'x'] }, { kinds: { a: 'numeric' } })).toThrow(/column 'a' row 2/);
    expect(() => buildProfile({ a: [null, null] })).toThrow(ValidationError);
    expect(() => buildProfile({ a: [1], b: [1, 2] })).toThrow(/'b' has 2 values/);
  });
});

describe('detectDrift', () => {
  const order = permutation(rows, mulberry32(11));
  const ref = take(penguins, order.slice(0, 172));
  const cur = take(penguins, order.slice(172));
  const profile = roundTrip(buildProfile(ref));

  it('finds no drift between two halves of the same data, with KS exactly scipy-equal on the raw reference', () => {
    const report = detectDrift(profile, cur);
    expect(report.datasetDrift).toBe(false);
    const mass = report.features.find((f) => f.name === 'Body Mass (g)')!;
    expect(mass.test).toBe('ks');
    const raw = (col: unknown[]) => col.filter((v): v is number => typeof v === 'number');
    expect(mass.score).toBe(ksTwoSample(raw(ref['Body Mass (g)']), raw(cur['Body Mass (g)'])).pValue);
    expect(report.features.find((f) => f.name === 'Island')!.test).toBe('chi-squared');
  });

  it('flags shifted features, out-of-range values, new categories and missing jumps', () => {
    const shifted = { ...cur };
    for (const name of ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']) {
      shifted[name] = cur[name].map((v) => (typeof v === 'number' ? v * 1.3 : v));
    }
    shifted.Island = cur.Island.map((v, i) => (i % 3 === 0 ? 'Anvers' : v));
    shifted.Sex = cur.Sex.map((v, i) => (i % 4 === 0 ? null : v));
    const report = detectDrift(profile, shifted);
    expect(report.datasetDrift).toBe(true);
    expect(report.driftedFeatures).toBeGreaterThanOrEqual(5);
    const mass = report.features.find((f) => f.name === 'Body Mass (g)')!;
    expect(mass.outOfRange!.above).toBeGreaterThan(0);
    expect(mass.psi).toBeGreaterThan(0.25);
    expect(report.features.find((f) => f.name === 'Island')!.newCategories).toEqual({ Anvers: 58 });
    expect(report.features.find((f) => f.name === 'Sex')!.missing.jumped).toBe(true);
    expect(report.features.find((f) => f.name === 'Species')!.missing.jumped).toBe(false);
  });

  it('switches to Wasserstein and Jensen–Shannon above 1,000 reference values', () => {
    const idx = Array.from({ length: 3000 }, (_, i) => i % rows);
    const big = roundTrip(buildProfile(take(penguins, idx)));
    const same = detectDrift(big, cur);
    expect(same.features.find((f) => f.name === 'Body Mass (g)')!.test).toBe('wasserstein');
    expect(same.features.find((f) => f.name === 'Species')!.test).toBe('jensen-shannon');
    expect(same.datasetDrift).toBe(false);
    const onlyGentoo = take(penguins, idx.filter((i) => penguins.Species[i] === 'Gentoo'));
    const drifted = detectDrift(big, onlyGentoo);
    expect(drifted.datasetDrift).toBe(true);
  });

  it('names a missing column and refuses bad thresholds', () => {
    const { Island: _dropped, ...noIsland } = cur;
    expect(() => detectDrift(profile, noIsland)).toThrow(DataError);
    expect(() => detectDrift(profile, noIsland)).toThrow(/no column 'Island'/);
    expect(() => detectDrift(profile, cur, { pValue: Number.NaN })).toThrow(ValidationError);
  });

  it("calls a category seen once in the current data infinite drift under Evidently's test, but not under the default 'homogeneity'", () => {
    const p = roundTrip(buildProfile({ sex: [...Array(50).fill('MALE'), ...Array(50).fill('FEMALE')] }));
    const current = { sex: [...Array(50).fill('MALE'), ...Array(49).fill('FEMALE'), '.'] };
    const gof = detectDrift(p, current, { categoricalTest: 'goodness-of-fit' }).features[0];
    expect(gof.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(gof.drifted).toBe(true);
    const hom = detectDrift(p, current).features[0];
    expect(hom.drifted).toBe(false);
    expect(hom.newCategories).toEqual({ '.': 1 });
  });

  it('treats a category named __proto__ as a category', () => {
    const p = roundTrip(buildProfile({ c: ['__proto__', 'a', 'a', 'b'] }));
    const report = detectDrift(p, { c: ['__proto__', 'a', 'b', 'b'] });
    expect(report.features[0].newCategories).toEqual({});
    expect(report.features[0].test).toBe('chi-squared');
  });
});
