/**
 * Reference against current distribution of one feature, in a few dozen numbers: what the HTML
 * report draws and the text report prints. Numbers: shares per bin of the profile's equal-width
 * histogram plus the current shares below its min and above its max. Categories: shares per
 * category, the most frequent 30 (by reference, then current), the rest as "other".
 */
import type { FeatureProfile } from './profile.ts';

/** Categories drawn at most; the rest are summed into `other`. */
const MAX_SHOWN = 30;

export type Distribution =
  | { name: string; kind: 'numeric'; edges: number[]; reference: number[]; current: number[]; below: number; above: number }
  | { name: string; kind: 'categorical'; categories: string[]; reference: number[]; current: number[]; other: { reference: number; current: number } };

/**
 * The two distributions of a profiled feature, as shares.
 * @example
 * distribution(profile.features.features[0], table.array('Island'))
 */
export function distribution(ref: FeatureProfile, values: ArrayLike<unknown>): Distribution {
  if (ref.kind === 'numeric') {
    const { edges, counts } = ref.histogram;
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const current = new Array<number>(counts.length).fill(0);
    let below = 0;
    let above = 0;
    let n = 0;
    const lo = edges[0]!;
    const hi = edges[edges.length - 1]!;
    const width = (hi - lo) / counts.length;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      n++;
      if (v < lo) below++;
      else if (v > hi) above++;
      else current[width > 0 ? Math.min(counts.length - 1, Math.floor((v - lo) / width)) : 0]!++;
    }
    const d = n || 1;
    return { name: ref.name, kind: 'numeric', edges, reference: counts.map((c) => c / total), current: current.map((c) => c / d), below: below / d, above: above / d };
  }
  const counts: Record<string, number> = Object.create(null);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v)) || typeof v === 'object') continue;
    const key = String(v);
    counts[key] = (counts[key] ?? 0) + 1;
    n++;
  }
  const refShare = (k: string) => (Object.hasOwn(ref.shares, k) ? ref.shares[k]! : 0);
  const curShare = (k: string) => (counts[k] ?? 0) / (n || 1);
  const all = [...new Set([...Object.keys(ref.shares), ...Object.keys(counts)])];
  all.sort((a, b) => refShare(b) - refShare(a) || curShare(b) - curShare(a) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = all.slice(0, MAX_SHOWN);
  const sum = (f: (k: string) => number) => shown.reduce((s, k) => s + f(k), 0);
  return {
    name: ref.name,
    kind: 'categorical',
    categories: shown,
    reference: shown.map(refShare),
    current: shown.map(curShare),
    other: { reference: Math.max(0, 1 - sum(refShare)), current: n ? Math.max(0, 1 - sum(curShare)) : 0 },
  };
}
