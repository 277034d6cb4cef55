/**
 * The generated tables and algorithms of the speed benchmark (test/bench/speed.bench.ts). The tables
 * themselves are made by test/bench/sklearn/speed-peer.py (`generate`), whose DATASETS must carry the
 * same names.
 */

export type SpeedSize = '10k' | '100k' | 'wide';

export interface SpeedDataset {
  name: string;
  size: SpeedSize;
  task: 'classification' | 'regression';
  rows: number;
  features: number;
  /** What the table is, for the header. */
  about: string;
}

export const SIZES: SpeedSize[] = ['10k', '100k', 'wide'];

export const SPEED_DATASETS: SpeedDataset[] = [
  { name: 'cls-10k', size: '10k', task: 'classification', rows: 10_000, features: 20, about: 'make_classification, 3 classes, 10 informative' },
  { name: 'reg-10k', size: '10k', task: 'regression', rows: 10_000, features: 20, about: 'make_regression, 10 informative, noise 50, target +1000' },
  { name: 'cls-100k', size: '100k', task: 'classification', rows: 100_000, features: 20, about: 'make_classification, 3 classes, 10 informative' },
  { name: 'reg-100k', size: '100k', task: 'regression', rows: 100_000, features: 20, about: 'make_regression, 10 informative, noise 50, target +1000' },
  { name: 'wide-10k', size: 'wide', task: 'classification', rows: 10_000, features: 64, about: 'make_classification, 10 classes, 32 informative' },
];

/** dags/tabular.ts's algorithms, each where the task fits (logreg and bayes classify, linear regresses). */
export const SPEED_ALGORITHMS: Record<SpeedDataset['task'], string[]> = {
  classification: ['logreg', 'mlp', 'forest', 'tree', 'knn', 'bayes'],
  regression: ['linear', 'mlp', 'forest', 'tree', 'knn'],
};

/** The metric compared: mlcycle's cv summary and scikit-learn's cross_val_score both report it. */
export const METRIC: Record<SpeedDataset['task'], 'accuracy' | 'r2'> = { classification: 'accuracy', regression: 'r2' };

/** Issue 6's targets: time and memory as ratios to scikit-learn; score no worse than 0.01 below it. */
export const TARGETS = { timeRatio: 2, memoryRatio: 3, scoreBelow: 0.01 };
