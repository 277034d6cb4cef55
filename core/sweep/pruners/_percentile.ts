/**
 * numpy 1.24's `nanpercentile(values, q)` with its default 'linear' method, step for step, so the
 * median pruner's threshold equals Optuna's to the last bit, including its quirks with infinities
 * (numpy's lerp gives NaN when a neighbour is infinite, e.g. the median of [1, 2, inf] is NaN, and a
 * NaN threshold means "do not prune").
 */

/** numpy's `_lerp`: the `t >= 0.5` branch interpolates from `b`, which keeps it monotonic. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The `percentile`-th percentile of the non-NaN `values` (0–100), NaN when there are none.
 * @example
 * nanPercentile([1, NaN, 3, 2], 50) // 2
 */
export function nanPercentile(values: readonly number[], percentile: number): number {
  // A typed array sorts numerically without a comparator callback, several times faster at 1,000 trials.
  const buf = new Float64Array(values.length);
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) buf[n++] = v;
  const sorted = buf.subarray(0, n).sort();
  if (n === 0) return Number.NaN;
  const virtualIndex = (n - 1) * (percentile / 100);
  // numpy marks an index at or past the end as -1 (the last element) and computes gamma from that.
  const previous = virtualIndex >= n - 1 ? -1 : Math.floor(virtualIndex);
  const next = previous === -1 ? -1 : previous + 1;
  const gamma = virtualIndex - previous;
  return lerp(sorted.at(previous)!, sorted.at(next)!, gamma);
}
