import { DataError } from '../../core/index.ts';

/**
 * Fails with a DataError naming the first entry of `values` that is not a finite number. Every
 * metric entry point calls it on its scores, probabilities and predictions first: a NaN score has
 * no rank and no threshold, so ROC code would loop on it and every other metric would silently be
 * NaN (DESIGN §10: no loop depends on a value that can be NaN).
 * @example
 * requireFinite([0.2, NaN], 'scores', 'rocAuc'); // throws DataError: rocAuc: scores[1] is NaN, not a finite number; …
 */
export function requireFinite(values: ArrayLike<unknown>, what: string, where: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DataError(
        `${where}: ${what}[${i}] is ${typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v)}, not a finite number; ` +
          'the model that made these predictions diverged or overflowed: retrain it (a smaller learning rate, scaled features, more regularisation)',
      );
    }
  }
}
