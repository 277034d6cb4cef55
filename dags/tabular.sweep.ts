/**
 * Which algorithm, with which hyperparameters? A ready sweep over dags/tabular.ts: the algorithm is a
 * conditional choice, and each branch tunes that algorithm's main hyperparameters (the DAG's
 * `<algorithm>.<param>` params). Every trial is a re-run of the same cached DAG, so loading, the folds
 * and the preprocessing run once for the whole study.
 *   mlcycle sweep dags/tabular.sweep.ts                                   # penguins, 30 trials
 *   mlcycle sweep dags/tabular.sweep.ts --param data=my.csv --param target=y --trials 20 --json
 *   mlcycle sweep dags/tabular.sweep.ts --param data=houses.csv --param target=price --objective cv.r2.mean
 * For a regression target, optimise a regression score (cv.r2.mean, or cv.rmse.mean with --direction
 * minimize); logreg and bayes then fail as trials (they classify) and the study goes on.
 */
import { fileURLToPath } from 'node:url';
import { choice, float, int, sweep } from '../core/index.ts';
import tabular from './tabular.ts';

// Shipped with the vega-datasets package, read from disk.
const penguins = fileURLToPath(new URL('../node_modules/vega-datasets/data/penguins.json', import.meta.url));

export default sweep(tabular, {
  fixed: { data: penguins, target: 'Species' },
  space: {
    algorithm: choice({
      logreg: { C: float(1e-3, 1e3, { log: true }) },
      forest: { nEstimators: int(20, 300, { log: true }), maxDepth: int(2, 20), minSamplesLeaf: int(1, 10) },
      knn: { k: int(1, 30) },
      tree: { maxDepth: int(1, 20), minSamplesLeaf: int(1, 20) },
      mlp: { alpha: float(1e-5, 1e-1, { log: true }), learningRate: float(1e-4, 1e-1, { log: true }) },
      bayes: { varSmoothing: float(1e-12, 1e-6, { log: true }) },
    }),
  },
  objective: 'cv.accuracy.mean',
  direction: 'maximize',
  trials: 30,
  sampler: 'tpe',
  // A known-good start first: the forest with its default size (depth capped to fit the space).
  enqueue: [{ algorithm: 'forest', 'forest.nEstimators': 100, 'forest.maxDepth': 20, 'forest.minSamplesLeaf': 1 }],
  seed: 0,
});
