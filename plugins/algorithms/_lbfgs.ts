/**
 * L-BFGS (limited-memory BFGS) for smooth unconstrained minimisation on Float64Array, the method
 * scikit-learn's LogisticRegression uses by default (through scipy's L-BFGS-B), chosen over Newton
 * because each iteration costs one pass over the data (a Hessian costs d·k times more per pass
 * for a multinomial model). Steps satisfy the strong Wolfe conditions (Nocedal & Wright, Algorithms
 * 3.5 and 3.6, cubic interpolation), which keeps sᵀy > 0 and so the inverse-Hessian estimate
 * positive definite. Stops like scipy: max |gᵢ| ≤ gtol, or a relative decrease of f ≤ ftol.
 */

/** Objective: returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |∇f| ≤ gtol. */
  gtol: number;
  /** Stop when (f_prev − f) / max(|f_prev|, |f|, 1) ≤ ftol (scipy's factr·eps); 64·eps by default, as scikit-learn. */
  ftol?: number;
  /** Iteration cap (each iteration is one accepted step). */
  maxIter: number;
  /** Correction pairs kept (scipy's maxcor); 10 by default. */
  memory?: number;
  /** Function evaluations per line search before giving up; 30 by default. */
  maxLineSearch?: number;
  /** Called after every accepted step; may throw to stop (cancellation). */
  onIteration?(iteration: number, f: number, x: Float64Array): void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped: 'gtol', 'ftol', 'maxIter' or 'lineSearch' (no further decrease found). */
  reason: 'gtol' | 'ftol' | 'maxIter' | 'lineSearch';
}

const C1 = 1e-4;
const C2 = 0.9;

/**
 * Minimises `fg` from `x0` (not modified).
 * @example
 * // f(x) = (x0 − 3)² + 10·(x1 + 1)²
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); g[1] = 20 * (x[1] + 1); return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2; },
 *   new Float64Array(2), { gtol: 1e-10, maxIter: 100 });
 * r.x; // ≈ [3, −1]
 */
export function minimizeLbfgs(fg: Objective, x0: Float64Array, o: LbfgsOptions): LbfgsResult {
  const p = x0.length;
  const mem = Math.max(1, o.memory ?? 10);
  const ftol = o.ftol ?? 64 * Number.EPSILON;
  const maxLs = o.maxLineSearch ?? 30;
  const x = x0.slice();
  const g = new Float64Array(p);
  const dir = new Float64Array(p);
  const xt = new Float64Array(p);
  const gt = new Float64Array(p);
  const S = Array.from({ length: mem }, () => new Float64Array(p));
  const Y = Array.from({ length: mem }, () => new Float64Array(p));
  const rho = new Float64Array(mem);
  const alphaBuf = new Float64Array(mem);
  let stored = 0;
  let head = 0; // slot of the next pair to write
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) throw new RangeError(`minimizeLbfgs: the objective is ${f} at the starting point`);
  let iterations = 0;
  if (maxAbs(g) <= o.gtol) return { x, f, iterations, evaluations, converged: true, reason: 'gtol' };

  // One line search along `dir` from (x, f, g); on success xt/gt/ft hold the new point.
  let ft = f;
  const lineSearch = (step0: number): number => {
    const d0 = dot(g, dir);
    const phi = (a: number): number => {
      for (let i = 0; i < p; i++) xt[i] = x[i] + a * dir[i];
      evaluations++;
      ft = fg(xt, gt);
      return ft;
    };
    let aPrev = 0, fPrev = f, dPrev = d0;
    let a = step0;
    for (let evals = 0; evals < maxLs; ) {
      const fa = phi(a); evals++;
      const da = dot(gt, dir);
      if (!Number.isFinite(fa) || fa > f + C1 * a * d0 || (evals > 1 && fa >= fPrev)) {
        return zoom(aPrev, fPrev, dPrev, a, fa, da, evals);
      }
      if (Math.abs(da) <= -C2 * d0) return a;
      if (da >= 0) return zoom(a, fa, da, aPrev, fPrev, dPrev, evals);
      aPrev = a; fPrev = fa; dPrev = da;
      a = Math.min(a * 4, 1e10);
    }
    return 0;

    function zoom(lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number, evals: number): number {
      while (evals < maxLs) {
        const width = hi - lo;
        let a2 = cubicMin(lo, flo, dlo, hi, fhi, dhi);
        const margin = 0.1 * Math.abs(width);
        const left = Math.min(lo, hi) + margin, right = Math.max(lo, hi) - margin;
        if (!Number.isFinite(a2) || a2 < left || a2 > right) a2 = lo + 0.5 * width;
        if (Math.abs(width) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
        const fa = phi(a2); evals++;
        const da = dot(gt, dir);
        if (!Number.isFinite(fa) || fa > f + C1 * a2 * d0 || fa >= flo) {
          hi = a2; fhi = Number.isFinite(fa) ? fa : Infinity; dhi = Number.isFinite(da) ? da : Infinity;
        } else {
          if (Math.abs(da) <= -C2 * d0) return a2;
          if (da * (hi - lo) >= 0) { hi = lo; fhi = flo; dhi = dlo; }
          lo = a2; flo = fa; dlo = da;
        }
      }
      // No Wolfe point within budget: settle for the best sufficient-decrease point, if any.
      if (lo > 0 && flo < f) { phi(lo); return lo; }
      return 0;
    }
  };

  while (iterations < o.maxIter) {
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < p; i++) dir[i] = -g[i];
    let slot = head;
    for (let k = 0; k < stored; k++) {
      slot = (slot - 1 + mem) % mem;
      const a = rho[slot] * dot(S[slot], dir);
      alphaBuf[slot] = a;
      axpy(-a, Y[slot], dir);
    }
    let step0 = 1;
    if (stored > 0) {
      const last = (head - 1 + mem) % mem;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < p; i++) dir[i] *= gamma;
      for (let k = 0; k < stored; k++) {
        const b = rho[slot] * dot(Y[slot], dir);
        axpy(alphaBuf[slot] - b, S[slot], dir);
        slot = (slot + 1) % mem;
      }
    } else {
      step0 = 1 / Math.max(Math.sqrt(dot(g, g)), 1e-300);
    }
    if (!(dot(g, dir) < 0)) { // lost descent (rounding): restart from steepest descent
      for (let i = 0; i < p; i++) dir[i] = -g[i];
      step0 = 1 / Math.sqrt(dot(g, g));
      stored = 0;
    }
    const a = lineSearch(step0);
    if (a === 0) {
      if (stored > 0) { stored = 0; continue; } // retry once from steepest descent
      return { x, f, iterations, evaluations, converged: false, reason: 'lineSearch' };
    }
    // Accept: s = xt − x, y = gt − g.
    const s = S[head], yv = Y[head];
    for (let i = 0; i < p; i++) { s[i] = xt[i] - x[i]; yv[i] = gt[i] - g[i]; }
    const sy = dot(s, yv);
    if (sy > 1e-16 * dot(yv, yv)) { rho[head] = 1 / sy; head = (head + 1) % mem; stored = Math.min(stored + 1, mem); }
    const fPrev = f;
    x.set(xt); g.set(gt); f = ft;
    iterations++;
    o.onIteration?.(iterations, f, x);
    if (maxAbs(g) <= o.gtol) return { x, f, iterations, evaluations, converged: true, reason: 'gtol' };
    if ((fPrev - f) <= ftol * Math.max(Math.abs(fPrev), Math.abs(f), 1)) return { x, f, iterations, evaluations, converged: true, reason: 'ftol' };
  }
  return { x, f, iterations, evaluations, converged: false, reason: 'maxIter' };
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN when it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return NaN;
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > m || v !== v) m = v !== v ? Infinity : v; }
  return m;
}
