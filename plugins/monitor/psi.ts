/**
 * Population Stability Index, reported beside every test. Numbers are binned at the reference
 * deciles (interior edges = the 10 %…90 % quantiles by numpy's default linear interpolation, duplicates
 * dropped, outer bins open to ±∞ so out-of-range current values still land in a bin); a value v falls in
 * the bin whose upper edge is the first edge >= v. Categories are their own bins. An empty bin's share is
 * replaced by PSI_EMPTY_SHARE (1e-4, Evidently's value) so the logarithm stays finite.
 */

/** The share an empty bin is given before taking logs. */
export const PSI_EMPTY_SHARE = 1e-4;

/**
 * Σ (current − reference) · ln(current / reference) over bins given as shares (or counts: each side
 * is normalised to sum 1 first).
 * @example
 * psi([0.5, 0.5], [0.5, 0.5]) // 0
 */
export function psi(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length) throw new RangeError('psi: reference and current differ in length');
  const sr = reference.reduce((a, b) => a + b, 0);
  const sc = current.reduce((a, b) => a + b, 0);
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] / sr || PSI_EMPTY_SHARE;
    const c = current[i] / sc || PSI_EMPTY_SHARE;
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

/**
 * numpy's default (linear, "type 7") quantile of sorted values.
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Interior PSI edges: the reference deciles, strictly increasing.
 * @example
 * psiEdges(Float64Array.from({ length: 11 }, (_, i) => i)) // [1, 2, …, 9]
 */
export function psiEdges(sortedReference: ArrayLike<number>, bins = 10): number[] {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const e = quantileSorted(sortedReference, i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

/**
 * Counts of values per PSI bin (edges.length + 1 bins): index = number of edges strictly below v.
 * @example
 * binCounts([1, 5, 9], [5]) // [2, 1]
 */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}
