/**
 * Jensen–Shannon distance between two discrete distributions, equal to
 * `scipy.spatial.distance.jensenshannon(p, q)` with its default natural logarithm, which is what
 * Evidently calls (its `base` defaults to None). Bounded by sqrt(ln 2) ≈ 0.833.
 */

/**
 * sqrt((KL(p‖m) + KL(q‖m)) / 2) with m the mean of p and q, each first normalised to sum 1.
 * @example
 * jensenShannonDistance([1, 0], [0, 1]) // sqrt(ln 2) ≈ 0.8326
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError('jensenShannonDistance: p and q differ in length');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(js, 0) / 2);
}
