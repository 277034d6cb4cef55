/**
 * A small seeded PRNG (mulberry32). tfjs shuffles with Math.random and ml.js wants 32-bit seeds, so
 * every random choice the algorithms make themselves goes through this to stay reproducible.
 * @example
 * const rand = prng(42); rand(); // 0.6011037519201636, the same on every run
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded Fisher–Yates permutation of 0..n-1.
 * @example
 * permutation(5, prng(1)); // e.g. [3, 0, 4, 1, 2]
 */
export function permutation(n: number, rand: () => number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * A non-negative 31-bit integer seed: ml-random-forest's Mersenne Twister and tfjs initialisers take
 * int32 seeds, while `ctx.seed` may be any safe integer.
 * @example
 * toSeed(-42); // 42
 */
export function toSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2147483647;
}
