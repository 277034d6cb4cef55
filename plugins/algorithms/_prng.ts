/**
 * Seeded randomness for the algorithms: the splitters' mulberry32 and permutation (one PRNG for the
 * whole plugin library). tfjs shuffles with Math.random and ml.js wants 32-bit seeds, so every random
 * choice the algorithms make themselves goes through these to stay reproducible.
 * @example
 * const rand = prng(42); rand(); // 0.6011037519201636, the same on every run
 */
export { mulberry32 as prng, permutation } from '../random.ts';

/**
 * A non-negative 31-bit integer seed: tfjs initialisers take int32 seeds, while `ctx.seed` may be any
 * safe integer.
 * @example
 * toSeed(-42); // 42
 */
export function toSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2147483647;
}
