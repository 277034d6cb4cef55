/**
 * The pruner that never prunes: every trial runs to its end. The default, and the baseline a pruned
 * sweep is measured against.
 */
import type { PruneDecision, Pruner } from './types.ts';

const KEEP: PruneDecision = Object.freeze({ prune: false, reason: 'pruning is off' });

/**
 * A pruner that keeps every trial.
 * @example
 * nonePruner().shouldPrune(ctx) // { prune: false, reason: 'pruning is off' }
 */
export function nonePruner(): Pruner {
  return { description: 'none', shouldPrune: () => KEEP };
}
