/**
 * The split search of one feature in one node (see `_cart.ts`): the node's rows in ascending order
 * of the feature are moved to the left side one by one, and every position between two distinct
 * values is scored with scikit-learn's proxy for the impurity decrease.
 */

/** The best split found so far in a node; `pos` counts the rows that go left. */
export interface Best {
  proxy: number;
  feature: number;
  threshold: number;
  pos: number;
}

/** scikit-learn's FEATURE_THRESHOLD: values closer than this are one value. */
export const FEATURE_EPS = 1e-7;

/**
 * Gini: the proxy is what scikit-learn maximises, Σ_c L_c²/W_L + Σ_c R_c²/W_R, which ranks splits as
 * the weighted child Gini does. `xf` holds the values in the order of `s`; updates `best` in place.
 * @example
 * scanGini(xf, sorted, start, end, yc, weights, total, scratch, 3, w, 1, f, best);
 */
export function scanGini(
  xf: Float64Array, s: Int32Array, start: number, end: number, yc: Int32Array, weights: Float64Array,
  total: Float64Array, left: Float64Array, k: number, w: number, minLeaf: number, f: number, best: Best,
): void {
  left.fill(0);
  let lw = 0;
  const last = end - minLeaf; // a split after p needs p + 1 - start >= minLeaf and end - p - 1 >= minLeaf
  for (let p = start; p < last; p++) {
    const i = s[p];
    const wi = weights[i];
    left[yc[i]] += wi;
    lw += wi;
    const lo = xf[p];
    const hi = xf[p + 1];
    if (hi <= lo + FEATURE_EPS || p + 1 - start < minLeaf) continue;
    let l = 0;
    let r = 0;
    for (let c = 0; c < k; c++) {
      const lc = left[c];
      const rc = total[c] - lc;
      l += lc * lc;
      r += rc * rc;
    }
    const proxy = l / lw + r / (w - lw);
    if (proxy > best.proxy) setBest(best, proxy, f, lo, hi, p + 1 - start);
  }
}

/**
 * As scanGini for squared error: the proxy S_L²/W_L + S_R²/W_R ranks splits as the child variance does.
 * @example
 * scanSquared(xf, sorted, start, end, y, weights, wy, w, 1, f, best);
 */
export function scanSquared(
  xf: Float64Array, s: Int32Array, start: number, end: number, y: Float64Array, weights: Float64Array,
  wy: number, w: number, minLeaf: number, f: number, best: Best,
): void {
  let lw = 0;
  let lwy = 0;
  const last = end - minLeaf;
  for (let p = start; p < last; p++) {
    const i = s[p];
    const wi = weights[i];
    lw += wi;
    lwy += wi * y[i];
    const lo = xf[p];
    const hi = xf[p + 1];
    if (hi <= lo + FEATURE_EPS || p + 1 - start < minLeaf) continue;
    const rwy = wy - lwy;
    const proxy = (lwy * lwy) / lw + (rwy * rwy) / (w - lw);
    if (proxy > best.proxy) setBest(best, proxy, f, lo, hi, p + 1 - start);
  }
}

function setBest(best: Best, proxy: number, f: number, lo: number, hi: number, pos: number): void {
  best.proxy = proxy;
  best.feature = f;
  let threshold = lo / 2 + hi / 2;
  if (threshold >= hi || !Number.isFinite(threshold)) threshold = lo;
  best.threshold = threshold;
  best.pos = pos;
}

