/**
 * A pruner from its name or a JSON spec: what `--pruner asha` and a sweep file's `pruner` field
 * give, and what a study stores so that a resumed study prunes with the same rule.
 */
import { ValidationError } from '../../errors.ts';
import { ashaPruner, type AshaPrunerOptions } from './asha.ts';
import { medianPruner, percentilePruner, type PercentilePrunerOptions } from './median.ts';
import { nonePruner } from './none.ts';
import type { Pruner } from './types.ts';

/** The pruners a user can name. */
export const PRUNER_NAMES = ['none', 'median', 'asha'] as const;
export type PrunerName = (typeof PRUNER_NAMES)[number];

/** A pruner as plain data (stored with the study). */
export type PrunerSpec =
  | { kind: 'none' }
  | { kind: 'median'; options?: PercentilePrunerOptions }
  | { kind: 'percentile'; percentile: number; options?: PercentilePrunerOptions }
  | { kind: 'asha'; options?: AshaPrunerOptions };

/**
 * The pruner a name or spec describes; options left out take Optuna 3.1's defaults.
 * @example
 * createPruner('asha')
 * createPruner({ kind: 'median', options: { nWarmupSteps: 5 } })
 */
export function createPruner(spec: PrunerName | PrunerSpec): Pruner {
  const s: PrunerSpec = typeof spec === 'string' ? ({ kind: spec } as PrunerSpec) : spec;
  switch (s.kind) {
    case 'none': return nonePruner();
    case 'median': return medianPruner(s.options);
    case 'percentile': return percentilePruner(s.percentile, s.options);
    case 'asha': return ashaPruner(s.options);
    default: {
      const kind = String((s as { kind: unknown }).kind);
      throw new ValidationError(`pruner: unknown pruner '${kind}'; use one of ${PRUNER_NAMES.join(', ')}`);
    }
  }
}
