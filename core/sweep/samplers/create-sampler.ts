/**
 * A sampler from the spec a study stores, seeded with the study's seed: a resumed study samples with
 * the very rule (and sequence) it started with.
 */
import type { SamplerSpec } from '../define-sweep.ts';
import { gridSampler } from './grid.ts';
import { randomSampler } from './random.ts';
import { tpeSampler } from './tpe.ts';
import type { Sampler } from './types.ts';

/**
 * @example
 * createSampler({ kind: 'tpe' }, 42).sample(ctx)
 */
export function createSampler(spec: SamplerSpec, seed: number): Sampler {
  switch (spec.kind) {
    case 'random': return randomSampler({ seed });
    case 'grid': return gridSampler({ seed });
    case 'tpe': return tpeSampler({ seed, ...(spec.options ?? {}) });
  }
}
