/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, equal to `scipy.stats.ks_2samp(a, b)` (scipy 1.10,
 * `method='auto'`): exact p-value while both samples have at most 10,000 values, else Smirnov's
 * asymptotic distribution `kstwo.sf(d, round(m·n/(m+n)))`.
 */
import { probOutsideLattice, probOutsideSquare } from './_ks-exact.ts';
import { kolmogorovSf } from './_kolmogorov.ts';

/** The statistic, its p-value, and which of scipy's two methods produced it. */
export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

const MAX_AUTO_N = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The largest |ECDF_a − ECDF_b| over the pooled values of two sorted samples; ties are handled by
 * stepping past every copy of a value before comparing.
 * @example
 * ksStatistic([1, 2, 3], [2, 3, 4]) // 1/3
 */
export function ksStatistic(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>): number {
  const n1 = sortedA.length;
  const n2 = sortedB.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const v = Math.min(sortedA[i], sortedB[j]);
    while (i < n1 && sortedA[i] === v) i++;
    while (j < n2 && sortedB[j] === v) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }
  return d;
}

/**
 * Runs the test on two samples of finite numbers (each non-empty; they need not be sorted).
 * @example
 * ksTwoSample([1, 2, 3, 4], [3, 4, 5, 6, 7]) // { statistic: 0.6, pValue: 0.2857…, method: 'exact' }
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  const n1 = sa.length;
  const n2 = sb.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample: both samples need at least one value');
  let d = ksStatistic(sa, sb);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    // scipy rounds d onto the lattice of attainable values first, so the p-value and d agree exactly.
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideLattice(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: 'asymp' };
}

/** numpy's `np.round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
