/**
 * Adam as scikit-learn's `AdamOptimizer` applies it: bias correction folded into the step size,
 * lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), and ε added to √v (not to the corrected √v̂), so updates match sklearn's.
 */

/** Adam's hyperparameters (sklearn's names: learning_rate_init, beta_1, beta_2, epsilon). */
export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The optimiser's state over a flat parameter vector. */
export interface AdamState extends AdamOptions {
  /** Steps taken so far. */
  t: number;
  /** First and second moment estimates, one per parameter. */
  m: Float64Array;
  v: Float64Array;
}

/**
 * Fresh Adam state for `size` parameters.
 * @example
 * const opt = adam(weights.length, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 */
export function adam(size: number, o: AdamOptions): AdamState {
  return { ...o, t: 0, m: new Float64Array(size), v: new Float64Array(size) };
}

/**
 * One update of `params` in place from `grad`.
 * @example
 * const w = Float64Array.of(1);
 * adamStep(opt, w, Float64Array.of(0.5)); // w[0] ≈ 0.999: a first step moves each weight by ≈ learningRate
 */
export function adamStep(state: AdamState, params: Float64Array, grad: Float64Array): void {
  const { m, v, beta1, beta2, epsilon } = state;
  state.t += 1;
  const step = (state.learningRate * Math.sqrt(1 - beta2 ** state.t)) / (1 - beta1 ** state.t);
  const [c1, c2] = [1 - beta1, 1 - beta2];
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    const mi = (m[i] = beta1 * m[i] + c1 * g);
    const vi = (v[i] = beta2 * v[i] + c2 * g * g);
    params[i] -= (step * mi) / (Math.sqrt(vi) + epsilon);
  }
}
