/** Pruners for sweeps: `none`, `median` (and `percentile`), `asha`, and the k-fold curve helper. */
export type { Direction, IntermediateValues, PruneContext, PruneDecision, Pruner, PrunerAttrs, PrunerTrial, PrunerTrialState } from './types.ts';
export { nonePruner } from './none.ts';
export { medianPruner, percentilePruner, type PercentilePrunerOptions } from './median.ts';
export { ashaPruner, rungKey, MIN_RESOURCE_KEY, type AshaPrunerOptions } from './asha.ts';
export { createPruner, PRUNER_NAMES, type PrunerName, type PrunerSpec } from './create-pruner.ts';
export { foldMeanAt, foldMeanCurve, type FoldSteps } from './fold-mean.ts';
