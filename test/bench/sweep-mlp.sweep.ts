/**
 * bench:sweep part 4's MLP sweep as a sweep file, for the ASHA set-ups `--pruner asha` cannot say: a
 * fixed first rung. The same question as the part's CLI command (dags/tabular.ts, algorithm=mlp,
 * learningRate × alpha, cv.accuracy.mean); data and target come as --param. The environment
 * variable MLCYCLE_BENCH_ASHA_MIN_RESOURCE sets ASHA's minResource (default 'auto', Optuna's).
 *   mlcycle sweep test/bench/sweep-mlp.sweep.ts --param data=test/fixtures/data/digits.csv --param target=digit
 */
import { float, sweep } from '../../core/index.ts';
import tabular from '../../dags/tabular.ts';

const minResource = process.env.MLCYCLE_BENCH_ASHA_MIN_RESOURCE;

export default sweep(tabular, {
  fixed: { algorithm: 'mlp' },
  space: {
    'mlp.learningRate': float(1e-4, 1e-1, { log: true }),
    'mlp.alpha': float(1e-5, 1e-1, { log: true }),
  },
  objective: 'cv.accuracy.mean',
  direction: 'maximize',
  trials: 20,
  sampler: 'tpe',
  pruner: { kind: 'asha', options: { minResource: minResource ? Number(minResource) : 'auto' } },
});
