/**
 * Exact two-sided p-values of the two-sample Kolmogorov–Smirnov statistic, ported from scipy 1.10
 * (`_compute_prob_outside_square`, `_compute_outer_prob_inside_method`) so that `ksTwoSample`
 * returns scipy's numbers, not merely close ones.
 */

/**
 * P(D_{n,n} >= h/n) for equal sample sizes: Horner form of the alternating binomial sum,
 * which avoids the cancellation of the textbook formula.
 * @example
 * probOutsideSquare(10, 5)
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
    k -= 1;
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h/lcm(m,n)) for unequal sizes: Hodges' inside method on the lattice of paths,
 * with Viehmann's recursion that computes 1 − p directly (stable where p is tiny).
 * @example
 * probOutsideLattice(10, 7, 1, 35)
 */
export function probOutsideLattice(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) a[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}
