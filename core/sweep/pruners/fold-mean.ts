/**
 * A k-fold trial's learning curve. Each fold's training reports its own steps; the trial's value at
 * a step is the mean over the folds that reached that step, so a fold that runs ahead (or a last
 * fold that stopped early) does not wait for, or get averaged with, folds that never reported it.
 * A NaN from any fold that reached the step makes the mean NaN: a diverged fold is the trial's
 * problem, and the pruners treat NaN as Optuna does.
 *
 * A study loop keeps one `Map<step, value>` per fold, sets the trial's intermediate value at a step
 * to `foldMeanAt(folds, step)` whenever a fold reports it, and asks the pruner at the trial's newest
 * step. Folds trained one after another make the newest steps fold 0's alone until fold 1 starts;
 * folds trained side by side (`--parallel`, or the folds of one trial run concurrently) keep the
 * mean honest.
 */

/** One fold's reported values by step (absent = the fold has not started reporting). */
export type FoldSteps = ReadonlyMap<number, number> | undefined;

/**
 * The mean at `step` over the folds that reported it; undefined when none did.
 * @example
 * foldMeanAt([new Map([[0, 0.5], [1, 0.7]]), new Map([[0, 0.6]])], 1) // 0.7: only fold 0 reached step 1
 * foldMeanAt([new Map([[0, 0.5]]), new Map([[0, 0.6]])], 0)           // 0.55
 * foldMeanAt([new Map([[0, 0.5]])], 3)                                 // undefined
 */
export function foldMeanAt(foldSteps: readonly FoldSteps[], step: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (const fold of foldSteps) {
    if (fold === undefined || !fold.has(step)) continue;
    sum += fold.get(step)!;
    n++;
  }
  return n === 0 ? undefined : sum / n;
}

/**
 * The whole curve: `foldMeanAt` at every step any fold reported, in increasing step order.
 * @example
 * foldMeanCurve([new Map([[0, 0.5], [1, 0.7]]), new Map([[0, 0.6]])]) // Map { 0 => 0.55, 1 => 0.7 }
 */
export function foldMeanCurve(foldSteps: readonly FoldSteps[]): Map<number, number> {
  const steps = new Set<number>();
  for (const fold of foldSteps) if (fold !== undefined) for (const s of fold.keys()) steps.add(s);
  const curve = new Map<number, number>();
  for (const s of [...steps].sort((a, b) => a - b)) curve.set(s, foldMeanAt(foldSteps, s)!);
  return curve;
}
