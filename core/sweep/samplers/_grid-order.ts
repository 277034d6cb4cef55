/**
 * A seeded permutation of 0..n-1 computed one index at a time, so a grid of any size is visited in
 * a shuffled order without listing it: a balanced Feistel network on the smallest even number of
 * bits that covers n (a bijection on [0, 2^bits)), with cycle-walking to stay below n (also a
 * bijection; fewer than 4 rounds of walking on average since 2^bits < 4n).
 */
import { deriveSeed, fmix32 } from '../_prng.ts';

const ROUNDS = 6;

/**
 * The permutation of 0..n-1 for `seed`: `at(i)` is the i-th element.
 * @example
 * const order = seededPermutation(10, 0); [0, 1, 2].map(order) // three distinct indices below 10
 */
export function seededPermutation(n: number, seed: number): (i: number) => number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`seededPermutation: n must be a positive safe integer, got ${n}`);
  let halfBits = 1;
  while (2 ** (2 * halfBits) < n) halfBits++;
  const half = 2 ** halfBits;
  const mask = half - 1;
  const keys = Array.from({ length: ROUNDS }, (_, r) => deriveSeed(seed, 'grid-order', r));
  const encrypt = (x: number): number => {
    let left = Math.floor(x / half);
    let right = x % half;
    for (const key of keys) {
      // halfBits <= 27 (n < 2^53), so the halves and the mask fit in 32-bit integer arithmetic.
      const f = (fmix32((right ^ key) >>> 0) & mask) >>> 0;
      [left, right] = [right, (left ^ f) >>> 0];
    }
    return left * half + right;
  };
  return (i: number) => {
    let y = encrypt(i);
    while (y >= n) y = encrypt(y);
    return y;
  };
}
