/**
 * Classification metrics as pure functions over plain arrays, matching scikit-learn's definitions
 * (noted per function where we choose between its options). Labels are strings: the predictions
 * table contract stores class labels as strings.
 */
import { requireFinite } from './_finite.ts';

/** Per-class precision, recall, F1 and support (rows whose actual label is the class). */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Share of rows whose predicted label equals the actual label.
 * @example
 * accuracy(['a', 'b', 'b'], ['a', 'b', 'a']) // 2/3
 */
export function accuracy(actual: readonly string[], predicted: readonly string[]): number {
  if (actual.length === 0) return Number.NaN;
  let hits = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) hits++;
  return hits / actual.length;
}

/**
 * Confusion matrix: `matrix[i][j]` counts rows with actual `labels[i]` predicted as `labels[j]`.
 * Labels come in `classes` order; labels seen in the data but missing from `classes` are appended
 * (sorted) so that no row is silently dropped.
 * @example
 * confusionMatrix(['a', 'b'], ['b', 'b'], ['a', 'b']) // { labels: ['a','b'], matrix: [[0,1],[0,1]] }
 */
export function confusionMatrix(
  actual: readonly string[],
  predicted: readonly string[],
  classes: readonly string[] = [],
): { labels: string[]; matrix: number[][] } {
  const extra = [...new Set([...actual, ...predicted])].filter((l) => !classes.includes(l)).sort();
  const labels = [...classes, ...extra];
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < actual.length; i++) matrix[index.get(actual[i])!]![index.get(predicted[i])!]!++;
  return { labels, matrix };
}

/**
 * Precision, recall, F1 and support for each label of a confusion matrix. A 0/0 ratio is 0, like
 * scikit-learn's `zero_division=0`.
 * @example
 * perClassScores(confusionMatrix(actual, predicted, classes))
 */
export function perClassScores(cm: { labels: string[]; matrix: number[][] }): Record<string, ClassScores> {
  const entries: Array<[string, ClassScores]> = [];
  cm.labels.forEach((label, k) => {
    const tp = cm.matrix[k]![k]!;
    const support = cm.matrix[k]!.reduce((a, b) => a + b, 0);
    const predictedCount = cm.matrix.reduce((a, row) => a + row[k]!, 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    entries.push([label, { precision, recall, f1, support }]);
  });
  // fromEntries defines keys: a label '__proto__' stays a class instead of replacing the prototype.
  return Object.fromEntries(entries);
}

/**
 * Macro averages (unweighted mean over labels) of precision, recall and F1. As in scikit-learn's
 * default, the labels averaged are those present in the actual or the predicted labels: a class
 * of the problem that never occurs in either is not counted as a zero.
 * @example
 * macroScores(['a', 'b', 'b'], ['a', 'a', 'b']) // { precision: 0.75, recall: 0.75, f1: 0.666… }
 */
export function macroScores(
  actual: readonly string[],
  predicted: readonly string[],
  classes: readonly string[] = [],
): { precision: number; recall: number; f1: number; perClass: Record<string, ClassScores> } {
  const perClass = perClassScores(confusionMatrix(actual, predicted, classes));
  const seen = new Set([...actual, ...predicted]);
  const rows = Object.entries(perClass).filter(([label]) => seen.has(label)).map(([, s]) => s);
  const mean = (pick: (s: ClassScores) => number): number =>
    rows.length ? rows.reduce((a, s) => a + pick(s), 0) / rows.length : Number.NaN;
  return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), perClass };
}

/**
 * Balanced accuracy: the mean recall over the classes present in `actual` (scikit-learn's
 * `balanced_accuracy_score`; predicted-only classes do not count).
 * @example
 * balancedAccuracy(['a', 'a', 'a', 'b'], ['a', 'a', 'a', 'a']) // 0.5
 */
export function balancedAccuracy(actual: readonly string[], predicted: readonly string[]): number {
  const support = new Map<string, number>();
  const hits = new Map<string, number>();
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    support.set(a, (support.get(a) ?? 0) + 1);
    if (a === predicted[i]) hits.set(a, (hits.get(a) ?? 0) + 1);
  }
  if (support.size === 0) return Number.NaN;
  let sum = 0;
  for (const [label, n] of support) sum += (hits.get(label) ?? 0) / n;
  return sum / support.size;
}

/**
 * Mean cross-entropy of the actual class. Each row's probabilities are clipped to [1e-15, 1-1e-15]
 * and renormalised to sum to 1 (scikit-learn's `log_loss` before 1.5), so one confident mistake
 * costs about 34.5 instead of infinity. A non-finite or missing probability is a DataError.
 * @example
 * logLoss(['a', 'b'], [{ a: 0.9, b: 0.1 }, { a: 0.2, b: 0.8 }], ['a', 'b']) // (-ln 0.9 - ln 0.8) / 2
 */
export function logLoss(
  actual: readonly string[],
  probabilities: ReadonlyArray<Readonly<Record<string, number>>>,
  classes: readonly string[],
  eps = 1e-15,
): number {
  if (actual.length === 0) return Number.NaN;
  let total = 0;
  const clipped = (p: number): number => Math.min(1 - eps, Math.max(eps, p));
  for (let i = 0; i < actual.length; i++) {
    const row = probabilities[i]!;
    // Own properties only, so a class named 'constructor' is not read from Object.prototype.
    const ps = classes.map((c) => (Object.hasOwn(row, c) ? row[c] : undefined));
    requireFinite(ps, `probabilities of row ${i} (${classes.join(', ')})`, 'logLoss');
    const sum = ps.reduce((a: number, p) => a + clipped(p!), 0);
    const k = classes.indexOf(actual[i]!);
    total -= Math.log((k < 0 ? eps : clipped(ps[k]!)) / sum);
  }
  return total / actual.length;
}
