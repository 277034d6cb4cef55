import type { ColumnTable } from 'arquero';
import { DataError, type MetricValues } from '../../core/index.ts';
import type { ProblemSpec } from '../kinds.ts';
import { accuracy, balancedAccuracy, confusionMatrix, logLoss, macroScores } from './_classification.ts';
import { requireFinite } from './_finite.ts';
import { column, finiteOnly, label } from './_predictions.ts';
import { ovrAuc, rocAuc, rocCurve, type RocPoint } from './_roc.ts';

const WHERE = 'evaluators/classification';

type Probabilities = Array<Record<string, number>>;

/**
 * Scores a classifier's predictions table and a majority-class baseline. The baseline is
 * scikit-learn's `DummyClassifier(strategy='prior')` fitted on the train target: it predicts the most
 * frequent train class (ties: first in `problem.classes`) and gives every row the train class
 * frequencies as probabilities, so its ROC AUC is 0.5 and its log loss is the prior's entropy.
 * @example
 * const { metrics, details } = scoreClassification(predictions, train, problem);
 */
export function scoreClassification(
  predictions: ColumnTable,
  train: ColumnTable,
  problem: ProblemSpec,
): { metrics: MetricValues; details: Record<string, unknown> } {
  const actual = column(predictions, 'actual', WHERE).map(label);
  const predicted = column(predictions, 'predicted', WHERE).map(label);
  const classes = problem.classes ?? [...new Set(actual)].sort();
  const probabilities = readProbabilities(predictions, classes);

  const prior = trainPrior(train, problem, classes);
  const majority = classes.reduce((best, c) => (prior[c]! > prior[best]! ? c : best), classes[0]!);
  const baselinePredicted = actual.map(() => majority);
  const baselineProbabilities = actual.map(() => prior);

  const model = metricsOf(actual, predicted, probabilities, classes, problem);
  const baseline = metricsOf(actual, baselinePredicted, baselineProbabilities, classes, problem);
  const metrics: MetricValues = { ...model.metrics };
  for (const [k, v] of Object.entries(baseline.metrics)) metrics[`baseline_${k}`] = v;

  const cm = confusionMatrix(actual, predicted, classes);
  return {
    metrics,
    details: {
      task: problem.task,
      rows: actual.length,
      classes,
      positiveClass: problem.task === 'binary' ? positiveClassOf(problem, classes) : null,
      confusionMatrix: cm,
      perClass: model.perClass,
      roc: model.roc,
      baseline: { strategy: 'prior (majority class, train class frequencies)', majorityClass: majority, prior },
    },
  };
}

/**
 * The model's own metrics (no baseline) from a predictions table (`actual`, `predicted`, `prob_<class>`…):
 * the numbers scoreClassification reports for the model, for callers that compare models on one table.
 * @example
 * classificationMetrics(predictions, problem).accuracy // 0.97
 */
export function classificationMetrics(predictions: ColumnTable, problem: ProblemSpec): MetricValues {
  const actual = column(predictions, 'actual', WHERE).map(label);
  const predicted = column(predictions, 'predicted', WHERE).map(label);
  const classes = problem.classes ?? [...new Set(actual)].sort();
  return metricsOf(actual, predicted, readProbabilities(predictions, classes), classes, problem).metrics;
}

function metricsOf(
  actual: string[],
  predicted: string[],
  probabilities: Probabilities | undefined,
  classes: string[],
  problem: ProblemSpec,
): { metrics: MetricValues; perClass: Record<string, unknown>; roc: Record<string, { auc: number; points: RocPoint[] }> } {
  const macro = macroScores(actual, predicted, classes);
  const metrics: Record<string, number> = {
    accuracy: accuracy(actual, predicted),
    balanced_accuracy: balancedAccuracy(actual, predicted),
    f1_macro: macro.f1,
    precision_macro: macro.precision,
    recall_macro: macro.recall,
  };
  const roc: Record<string, { auc: number; points: RocPoint[] }> = {};
  const perClass: Record<string, Record<string, number>> = Object.fromEntries(Object.entries(macro.perClass).map(([c, s]) => [c, { ...s }]));
  if (probabilities) {
    metrics.log_loss = logLoss(actual, probabilities, classes);
    if (problem.task === 'binary') {
      const positive = positiveClassOf(problem, classes);
      const isPositive = actual.map((a) => a === positive);
      const scores = probabilities.map((p) => p[positive] ?? 0);
      metrics.roc_auc = rocAuc(isPositive, scores);
      roc[positive] = { auc: metrics.roc_auc, points: rocCurve(isPositive, scores) };
    } else {
      const ovr = ovrAuc(actual, probabilities, classes);
      metrics.roc_auc = ovr.macro;
      for (const [c, auc] of Object.entries(ovr.perClass)) {
        if (Object.hasOwn(perClass, c)) perClass[c]!.roc_auc = auc;
        roc[c] = { auc, points: rocCurve(actual.map((a) => a === c), probabilities.map((p) => p[c] ?? 0)) };
      }
    }
  }
  return { metrics: finiteOnly(metrics), perClass, roc };
}

/** Scikit-learn's convention when none is named: the greater of the two sorted labels is positive. */
function positiveClassOf(problem: ProblemSpec, classes: string[]): string {
  return problem.positiveClass ?? classes[classes.length - 1]!;
}

/** `prob_<class>` rows, or undefined when the classifier gave no probabilities (then no AUC, no log loss). */
function readProbabilities(table: ColumnTable, classes: string[]): Probabilities | undefined {
  const names = table.columnNames();
  const present = classes.filter((c) => names.includes(`prob_${c}`));
  if (present.length === 0) return undefined;
  if (present.length < classes.length) {
    const missing = classes.filter((c) => !present.includes(c)).map((c) => `prob_${c}`);
    throw new DataError(`${WHERE}: probability columns are incomplete: missing ${missing.join(', ')}`);
  }
  // Checked column by column so the message names the column: a NaN probability would otherwise
  // reach the ROC code, where it has no threshold.
  const cols = classes.map((c) => {
    const values = Array.from(table.array(`prob_${c}`) as ArrayLike<unknown>);
    requireFinite(values, `prob_${c}`, WHERE);
    return values as number[];
  });
  return Array.from({ length: table.numRows() }, (_, i) => Object.fromEntries(classes.map((c, k) => [c, cols[k]![i]!])));
}

function trainPrior(train: ColumnTable, problem: ProblemSpec, classes: string[]): Record<string, number> {
  const target = column(train, problem.target, `${WHERE} (train table)`).map(label);
  const counts = Object.fromEntries(classes.map((c) => [c, 0])) as Record<string, number>;
  // Own properties only: a train label 'constructor' is not a class and must not match Object.prototype.
  for (const t of target) if (Object.hasOwn(counts, t)) counts[t]!++;
  const total = target.length || 1;
  return Object.fromEntries(classes.map((c) => [c, counts[c]! / total]));
}
