import { DecisionTreeClassifier, DecisionTreeRegression } from 'ml-cart';
import KNN from 'ml-knn';
import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import { NonRetryableError } from '../../core/index.ts';
import type { ModelSpec } from '../kinds.ts';
import { applyScaling, type Matrix, type Scaling } from './_features.ts';
import { forestPredict, type ForestJson } from './_forest.ts';

/** A model's raw output: one value per row (regression) or one probability per class per row. */
export interface Prediction {
  values?: number[];
  probs?: number[][];
}

/**
 * Runs a classical ModelSpec on feature rows. Class probabilities come from what each model holds:
 * the mean of the trees' leaf class shares (mlcycle's CART trees and forests), for older ml.js
 * forests the share of trees voting for a class (ml-random-forest's own predictProbability miscounts the
 * first tree's vote), the training mix of a tree's leaf, the share of the k neighbours, and the
 * naive-Bayes posterior (computed in log space: the library's exp() underflows to "no class").
 * @example
 * const { probs } = predictClassical(spec, [[5.1, 3.5, 1.4, 0.2]]);
 */
export function predictClassical(spec: ModelSpec, x: Matrix): Prediction {
  const k = spec.classes?.length ?? 0;
  const regression = spec.task === 'regression';
  const json = spec.classical as any;
  if (json?.format === 'mlcycle-cart') {
    const out = forestPredict(json as ForestJson, x);
    return regression ? { values: out.map((v) => v[0]) } : { probs: out };
  }
  // ml.js JSON: trees and forests trained before mlcycle's own CART, e.g. in exported bundles.
  switch (spec.algorithm) {
    case 'random-forest': {
      if (regression) return { values: RandomForestRegression.load(json).predict(x) };
      const votes = (RandomForestClassifier.load(json) as any).predictionValues(x);
      return { probs: x.map((_, i) => shares(votes.getRow(i) as number[], k)) };
    }
    case 'decision-tree': {
      if (regression) return { values: DecisionTreeRegression.load(json).predict(x) };
      const tree = DecisionTreeClassifier.load(json);
      return { probs: x.map((row) => padTo(tree.root.classify(row).to1DArray(), k)) };
    }
    case 'knn': {
      const knn = KNN.load(json);
      const scaling = spec.info?.featureScaling as Scaling | undefined;
      const rows = scaling ? applyScaling(x, scaling) : x;
      const labels = rows.map((r) => knn.kdTree.nearest(r, knn.k).map(([point]) => point[point.length - 1]));
      if (regression) return { values: labels.map((l) => l.reduce((s, v) => s + v, 0) / l.length) };
      return { probs: labels.map((l) => shares(l, k)) };
    }
    case 'naive-bayes':
      return { probs: x.map((row) => gaussianPosterior(json, row)) };
    default:
      throw new NonRetryableError(`predict: no ml.js predictor for algorithm '${spec.algorithm}'`);
  }
}

function shares(labels: number[], k: number): number[] {
  const out = new Array<number>(k).fill(0);
  for (const l of labels) out[l] += 1 / labels.length;
  return out;
}

/** A leaf's distribution only spans the classes up to the largest one it saw. */
function padTo(values: number[], k: number): number[] {
  return Array.from({ length: k }, (_, i) => values[i] ?? 0);
}

function gaussianPosterior(json: { means: number[][]; calculateProbabilities: any[][] }, row: number[]): number[] {
  const logs = json.calculateProbabilities.map(([prior, ...terms], c) =>
    terms.reduce((s: number, [c1, c2]: [number, number], j: number) => s + Math.log(c1) + (row[j] - json.means[c][j]) ** 2 / c2, prior),
  );
  const max = Math.max(...logs);
  const exp = logs.map((l) => Math.exp(l - max));
  const total = exp.reduce((s, v) => s + v, 0);
  return exp.map((v) => v / total);
}

// TEMPORARY adapter until each algorithm has its own predictor.
import { denseFromRows, toRows, type Dense } from './_dense.ts';
import type { Prediction as DensePrediction } from './define-algorithm.ts';
export function legacyPredict(spec: ModelSpec, x: Dense): DensePrediction {
  const out = predictClassical(spec, toRows(x));
  return out.values ? { values: Float64Array.from(out.values) } : { probs: denseFromRows(out.probs!) };
}
