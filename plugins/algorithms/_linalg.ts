/**
 * Small dense linear algebra for the linear models: the (weighted, centred) Gram matrix of a tall
 * table in one streaming pass, and solves of the resulting d×d systems. The n×d work is all in
 * `gram`; everything else is O(d³) on matrices of a few hundred columns at most, so plain loops on
 * Float64Array suffice (ml-matrix boxes rows as arrays and allocates per operation).
 */
import type { Dense } from './_dense.ts';

/** Column statistics of a table, from one pass. */
export interface ColumnStats {
  /** Weighted column means. */
  mean: Float64Array;
  /** Whether every value of the column is the same (min === max). */
  constant: Uint8Array;
  /** Sum of the weights (n when unweighted). */
  weightSum: number;
}

/**
 * Weighted means of the columns and which columns are constant.
 * @example
 * columnStats(denseFromRows([[1, 5], [3, 5]])); // { mean: [2, 5], constant: [0, 1], weightSum: 2 }
 */
export function columnStats(x: Dense, weights?: Float64Array): ColumnStats {
  const { rows: n, cols: d, data } = x;
  const sum = new Float64Array(d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    weightSum += w;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[o + j];
      sum[j] += w * v;
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  const constant = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    sum[j] = weightSum > 0 ? sum[j] / weightSum : 0;
    constant[j] = n > 0 && min[j] === max[j] ? 1 : 0;
  }
  return { mean: sum, constant, weightSum };
}

/** Rows per block in blocked loops: a block of columns (B × d doubles) stays in L1/L2 cache. */
export const BLOCK = 256;

/**
 * The Gram matrix Σᵢ wᵢ (xᵢ − μ)(xᵢ − μ)ᵀ (d×d, both triangles filled) and Σᵢ wᵢ (xᵢ − μ)(yᵢ − ȳ).
 * Pass `center` = the weighted column means to centre (an intercept), or omit it.
 *
 * Columns that are mostly zeros (one-hot dummies) are shifted by 0 instead of their mean and
 * corrected afterwards by the rank-one term W·δδᵀ (δ = μ − shift); for such a column δ² ≤ its
 * variance, so the correction loses no precision. A mostly-zero table then takes a row loop that
 * skips zeros; a dense one copies blocks of rows column-major and accumulates 2×2 tiles of dot
 * products (about 3–9× faster here than the row loop, which stores to the Gram for every product).
 * @example
 * const { gram: g, xty } = gram(x, { center: columnStats(x).mean, y, yMean });
 */
export function gram(x: Dense, o: { center?: Float64Array; weights?: Float64Array; y?: Float64Array; yMean?: number } = {}): { gram: Float64Array; xty: Float64Array } {
  const { rows: n, cols: d, data } = x;
  const shift = new Float64Array(d);
  const zeros = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0, p = i * d; j < d; j++, p++) if (data[p] === 0) zeros[j]++;
  if (o.center) for (let j = 0; j < d; j++) shift[j] = 2 * zeros[j] >= n ? 0 : o.center[j];
  let nonzero = 0;
  for (let j = 0; j < d; j++) nonzero += shift[j] === 0 ? n - zeros[j] : n;
  const g = new Float64Array(d * d);
  const xty = new Float64Array(d);
  const { wSum, ySum } = 4 * nonzero <= n * d ? gramSparse(x, shift, o, g, xty) : gramBlocked(x, shift, o, g, xty);
  if (o.center) {
    for (let a = 0; a < d; a++) {
      const da = o.center[a] - shift[a];
      if (da === 0) continue;
      xty[a] -= da * ySum;
      for (let b = a; b < d; b++) g[a * d + b] -= wSum * da * (o.center[b] - shift[b]);
    }
  }
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) g[b * d + a] = g[a * d + b];
  return { gram: g, xty };
}

type GramInput = { weights?: Float64Array; y?: Float64Array; yMean?: number };

/** Upper triangle of the shifted Gram, one row at a time, skipping zeros. */
function gramSparse(x: Dense, shift: Float64Array, o: GramInput, g: Float64Array, xty: Float64Array) {
  const { rows: n, cols: d, data } = x;
  const { weights, y } = o;
  const yMean = o.yMean ?? 0;
  const row = new Float64Array(d);
  const nz = new Int32Array(d);
  let wSum = 0, ySum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const yi = y ? y[i] - yMean : 0;
    wSum += w;
    ySum += w * yi;
    let m = 0;
    for (let j = 0, p = i * d; j < d; j++, p++) {
      const v = data[p] - shift[j];
      if (v !== 0) { row[m] = v; nz[m++] = j; }
    }
    for (let a = 0; a < m; a++) {
      const va = w * row[a];
      const base = nz[a] * d;
      xty[nz[a]] += va * yi;
      for (let b = a; b < m; b++) g[base + nz[b]] += va * row[b];
    }
  }
  return { wSum, ySum };
}

/** Upper triangle of the shifted Gram from column-major blocks of rows, 2×2 tiles of dot products. */
function gramBlocked(x: Dense, shift: Float64Array, o: GramInput, g: Float64Array, xty: Float64Array) {
  const { rows: n, cols: d, data } = x;
  const { weights, y } = o;
  const yMean = o.yMean ?? 0;
  const B = BLOCK;
  const t = new Float64Array(d * B); // t[j·B + r] = x[i0 + r, j] − shift[j]
  const tw = weights ? new Float64Array(d * B) : t; // the same, times the row's weight
  const yb = new Float64Array(B);
  let wSum = 0, ySum = 0;
  for (let i0 = 0; i0 < n; i0 += B) {
    const m = Math.min(B, n - i0);
    for (let r = 0; r < m; r++) {
      const i = i0 + r;
      const w = weights ? weights[i] : 1;
      const yi = y ? y[i] - yMean : 0;
      wSum += w;
      ySum += w * yi;
      yb[r] = yi;
      for (let j = 0, p = i * d; j < d; j++, p++) {
        const v = data[p] - shift[j];
        t[j * B + r] = v;
        if (weights) tw[j * B + r] = w * v;
      }
    }
    for (let a = 0; a < d; a += 2) {
      const a1 = a + 1 < d ? a + 1 : a;
      const ao = a * B, ao1 = a1 * B;
      let sy0 = 0, sy1 = 0;
      for (let r = 0; r < m; r++) { sy0 += tw[ao + r] * yb[r]; sy1 += tw[ao1 + r] * yb[r]; }
      xty[a] += sy0;
      if (a1 !== a) xty[a1] += sy1;
      for (let b = a; b < d; b += 2) {
        const b1 = b + 1 < d ? b + 1 : b;
        const bo = b * B, bo1 = b1 * B;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
        for (let r = 0; r < m; r++) {
          const x0 = tw[ao + r], x1 = tw[ao1 + r], y0 = t[bo + r], y1 = t[bo1 + r];
          s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
        }
        g[a * d + b] += s00;
        if (b1 !== b) g[a * d + b1] += s01;
        if (a1 !== a && b >= a1) g[a1 * d + b] += s10;
        if (a1 !== a && b1 !== b) g[a1 * d + b1] += s11;
      }
    }
  }
  return { wSum, ySum };
}

/**
 * The rows of `x` regrouped for blocked loops: block q holds rows qB…qB+B−1 column-major, so
 * element (i, j) is at q·B·d + j·B + (i − qB). Loops over one column of a block then read
 * contiguous memory and carry no dependency from one row to the next.
 * @example
 * const xb = columnBlocks(x); xb[Math.floor(i / BLOCK) * BLOCK * x.cols + j * BLOCK + (i % BLOCK)] === x.data[i * x.cols + j];
 */
export function columnBlocks(x: Dense): Float64Array {
  const { rows: n, cols: d, data } = x;
  const B = BLOCK;
  const out = new Float64Array(Math.ceil(n / B) * B * d);
  for (let i = 0; i < n; i++) {
    const q = Math.floor(i / B), r = i - q * B, base = q * B * d + r;
    for (let j = 0, p = i * d; j < d; j++, p++) out[base + j * B] = data[p];
  }
  return out;
}

/**
 * Cholesky factorisation A = LLᵀ of a symmetric positive-definite n×n matrix, in place (the lower
 * triangle becomes L). Returns false, leaving `a` partly overwritten, when a pivot is not positive.
 * @example
 * const a = Float64Array.of(4, 2, 2, 3); cholesky(a, 2); // a's lower triangle: [2, ·, 1, 1.414…]
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= a[rj + k] * a[rj + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t / ljj;
    }
  }
  return true;
}

/**
 * Solves LLᵀx = b in place (`b` becomes x) given the factor from `cholesky`.
 * @example
 * cholesky(a, 2); choleskySolve(a, 2, b);
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/**
 * The minimum-norm solution of G w = b for a symmetric positive semi-definite G (d×d), as
 * scipy's lstsq gives for the least-squares problem whose normal equations these are.
 *
 * Rank is revealed by Cholesky with complete pivoting on the correlation-scaled G (so a column's
 * fate depends on its angle to the others, not its units): a column whose part orthogonal to the
 * columns already chosen is below √`tol` of its norm counts as dependent, as does a column listed
 * in `exclude` (constant after centring). With G = MᵀM (M: rank × d), w = Mᵀ(MMᵀ)⁻¹c where Mᵀc = b.
 * @example
 * minNormSolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(2, 2), 2); // { w: [1, 1], rank: 1 }
 */
export function minNormSolve(g: Float64Array, b: Float64Array, d: number, o: { tol?: number; exclude?: Uint8Array } = {}): { w: Float64Array; rank: number } {
  const tol = o.tol ?? 1e-11;
  const scale = new Float64Array(d);
  const s = new Float64Array(d * d);
  for (let j = 0; j < d; j++) scale[j] = g[j * d + j] > 0 && !o.exclude?.[j] ? Math.sqrt(g[j * d + j]) : 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j] = scale[i] > 0 && scale[j] > 0 ? g[i * d + j] / (scale[i] * scale[j]) : 0;
  // Pivoted Cholesky on the scaled matrix; `perm` holds original column indices, `m` is M_s (rank×d, in original column order).
  const perm = Int32Array.from({ length: d }, (_, j) => j);
  const diag = new Float64Array(d);
  for (let j = 0; j < d; j++) diag[j] = s[j * d + j];
  const ms = new Float64Array(d * d);
  let rank = 0;
  for (; rank < d; rank++) {
    let best = rank;
    for (let j = rank + 1; j < d; j++) if (diag[perm[j]] > diag[perm[best]]) best = j;
    const p = perm[best];
    if (!(diag[p] > tol)) break;
    perm[best] = perm[rank]; perm[rank] = p;
    const lpp = Math.sqrt(diag[p]);
    const mr = rank * d;
    ms[mr + p] = lpp;
    for (let t = rank + 1; t < d; t++) {
      const q = perm[t];
      let v = s[p * d + q];
      for (let k = 0; k < rank; k++) v -= ms[k * d + p] * ms[k * d + q];
      v /= lpp;
      ms[mr + q] = v;
      diag[q] -= v * v;
    }
  }
  // Unscale: M = M_s · diag(scale). Then c solves L1 c = (b / scale) over the pivot columns, L1 = M_sᵀ restricted to them (lower triangular in pivot order).
  const c = new Float64Array(rank);
  for (let r = 0; r < rank; r++) {
    const p = perm[r];
    let v = b[p] / scale[p];
    for (let k = 0; k < r; k++) v -= ms[k * d + p] * c[k];
    c[r] = v / ms[r * d + p];
  }
  const mm = new Float64Array(rank * rank);
  for (let r = 0; r < rank; r++) {
    for (let t = r; t < rank; t++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += ms[r * d + j] * ms[t * d + j] * scale[j] * scale[j];
      mm[r * rank + t] = v;
      mm[t * rank + r] = v;
    }
  }
  const w = new Float64Array(d);
  if (rank === 0) return { w, rank };
  if (!cholesky(mm, rank)) throw new RangeError('minNormSolve: the reduced system is not positive definite');
  choleskySolve(mm, rank, c);
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let r = 0; r < rank; r++) v += ms[r * d + j] * c[r];
    w[j] = v * scale[j];
  }
  return { w, rank };
}
