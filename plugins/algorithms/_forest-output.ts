import type { ModelSpec } from '../kinds.ts';
import type { Dense } from './_dense.ts';
import { forestPredict, type ForestModel } from './_forest.ts';
import { forestFromLegacy, type LegacyCartForest } from './_forest-legacy.ts';
import type { Prediction } from './define-algorithm.ts';

/**
 * A forest's or a tree's prediction: class shares, or the regression mean. Models saved in the
 * older per-node format ('mlcycle-cart') are converted first, so they predict as they did.
 * @example
 * forestOutput(model, x).probs; // n × classes
 */
export function forestOutput(model: ModelSpec, x: Dense): Prediction {
  const state = model.classical as ForestModel | LegacyCartForest;
  const forest = state.format === 'mlcycle-cart' ? forestFromLegacy(state as LegacyCartForest) : (state as ForestModel);
  const out = forestPredict(forest, x);
  return model.task === 'regression' ? { values: out.data } : { probs: out };
}
