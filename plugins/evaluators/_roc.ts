/**
 * ROC analysis for scores against binary truth: AUC by ranks (so tied scores count one half, as in
 * the Mann–Whitney U statistic and scikit-learn's `roc_auc_score`) and the curve's points.
 * Scores must be finite: a NaN score equals nothing, so it has no rank and no threshold.
 */
import { requireFinite } from './_finite.ts';

/** One point of a ROC curve: rates reached when predicting positive for scores >= threshold. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  /** null for the first point (0, 0): "above every score" (scikit-learn uses +inf, which JSON lacks). */
  threshold: number | null;
}

/**
 * Area under the ROC curve for `scores` of rows whose truth is `isPositive`: the probability that
 * a random positive scores above a random negative, ties counting 1/2. Computed from average
 * ranks in O(n log n). NaN when either class is absent (the AUC is undefined then). A non-finite
 * score is a DataError.
 * @example
 * rocAuc([true, false, true, false], [0.8, 0.4, 0.4, 0.1]) // 0.875: the tie between a positive and a negative counts 1/2
 */
export function rocAuc(isPositive: readonly boolean[], scores: readonly number[]): number {
  requireFinite(scores, 'scores', 'rocAuc');
  const n = scores.length;
  const order = [...scores.keys()].sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    // Ranks are 1-based; every member of a tie group gets the group's mean rank.
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (isPositive[order[k]!]) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * ROC curve points, one per distinct score (ties move both rates at once), from (0, 0) to (1, 1).
 * Collinear intermediate points are dropped (scikit-learn's `drop_intermediate`), then the curve
 * is thinned to at most `maxPoints` so reports stay small on big test sets. A non-finite score is a
 * DataError.
 * @example
 * rocCurve([true, false, true, false], [0.8, 0.4, 0.4, 0.1])
 * // [{fpr:0,tpr:0,threshold:null},{fpr:0,tpr:0.5,threshold:0.8},{fpr:0.5,tpr:1,threshold:0.4},{fpr:1,tpr:1,threshold:0.1}]
 */
export function rocCurve(isPositive: readonly boolean[], scores: readonly number[], maxPoints = 500): RocPoint[] {
  requireFinite(scores, 'scores', 'rocCurve');
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`rocCurve: maxPoints must be an integer >= 2, got ${maxPoints}`);
  const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!);
  const positives = isPositive.filter(Boolean).length;
  const negatives = isPositive.length - positives;
  if (positives === 0 || negatives === 0) return [];
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: null }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; ) {
    const threshold = scores[order[i]!]!;
    // do…while: each pass consumes at least its first row, so the loop ends whatever the scores hold.
    do {
      if (isPositive[order[i]!]) tp++;
      else fp++;
      i++;
    } while (i < order.length && scores[order[i]!] === threshold);
    points.push({ fpr: fp / negatives, tpr: tp / positives, threshold });
  }
  return thin(dropCollinear(points), maxPoints);
}

function dropCollinear(points: RocPoint[]): RocPoint[] {
  return points.filter((p, i) => {
    if (i === 0 || i === points.length - 1) return true;
    const a = points[i - 1]!;
    const b = points[i + 1]!;
    return (p.fpr - a.fpr) * (b.tpr - a.tpr) !== (p.tpr - a.tpr) * (b.fpr - a.fpr);
  });
}

function thin(points: RocPoint[], maxPoints: number): RocPoint[] {
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, k) => points[Math.round(k * step)]!);
}

/**
 * One-vs-rest ROC AUC for each class (`prob_<class>` against "actual is that class") and their
 * unweighted mean (scikit-learn's `multi_class='ovr', average='macro'`). Classes absent from
 * `actual` have no AUC; they are left out of the mean (scikit-learn would refuse).
 * @example
 * ovrAuc(actual, probabilities, ['a', 'b', 'c']).macro
 */
export function ovrAuc(
  actual: readonly string[],
  probabilities: ReadonlyArray<Readonly<Record<string, number>>>,
  classes: readonly string[],
): { macro: number; perClass: Record<string, number> } {
  const entries: Array<[string, number]> = [];
  for (const c of classes) {
    // Own properties only: a class named 'constructor' must not read Object.prototype's.
    const auc = rocAuc(actual.map((a) => a === c), probabilities.map((p) => (Object.hasOwn(p, c) ? p[c]! : 0)));
    if (!Number.isNaN(auc)) entries.push([c, auc]);
  }
  // fromEntries defines keys, so a class named '__proto__' is a key, not a prototype.
  const perClass: Record<string, number> = Object.fromEntries(entries);
  const values = entries.map(([, auc]) => auc);
  return { macro: values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN, perClass };
}
