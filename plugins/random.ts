/**
 * Seeded randomness for splitters. Math.random cannot be seeded, and a split must be reproducible:
 * the same seed gives the same rows on every machine, so cached results stay valid.
 */

/**
 * mulberry32: a tiny 32-bit PRNG, plenty for shuffling rows (not for cryptography).
 * @example
 * const rand = mulberry32(0); rand(); // 0.266…, always
 */
export function mulberry32(seed: number): () => number {
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
 * Fisher–Yates shuffle of a copy of `items`.
 * @example
 * shuffled([0, 1, 2, 3], mulberry32(7))
 */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * 0..n-1 in random order.
 * @example
 * permutation(5, mulberry32(0)) // e.g. [3, 0, 4, 1, 2]
 */
export function permutation(n: number, rand: () => number): number[] {
  return shuffled(Array.from({ length: n }, (_, i) => i), rand);
}

/**
 * The description of the `seed` param every splitter shares.
 * @example
 * seed: Type.Integer({ default: 0, description: SEED_DESCRIPTION })
 */
export const SEED_DESCRIPTION = 'Seed of the shuffle: the same seed gives the same split.';
