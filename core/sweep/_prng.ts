/**
 * The seeded PRNG every sweep sampler draws from. Samplers derive one stream per trial from
 * (study seed, trial number) so that the params a trial gets do not depend on the order in which
 * parallel workers asked for them. sfc32 (128-bit state, passes PractRand) seeded through a
 * splitmix-style hash: plain 32-bit integer arithmetic, so the same seed gives the same numbers on
 * every machine and Node version. Not for cryptography.
 */

/** A stream of seeded random numbers. */
export interface Prng {
  /** Uniform on [0, 1), 53 random bits (two 32-bit draws): fine-grained enough for ln-uniform floats. */
  next(): number;
  /** Uniform on [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in 0..n-1 (n a positive integer). */
  int(n: number): number;
  /** Standard normal (Box–Muller; one draw per call, the spare is not cached, so streams stay simple). */
  normal(): number;
}

const STRING_SALT = 0x9e3779b9;

/**
 * Murmur3's 32-bit finalizer: spreads every input bit over the output (an unsigned 32-bit result).
 * Exported for samplers that need a cheap keyed hash (the grid's Feistel permutation).
 * @example
 * fmix32(1) // 1364076727, on every machine
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds one stream part into a hash; numbers use both 32-bit halves so seeds above 2^32 still differ. */
function mix(h: number, part: number | string): number {
  if (typeof part === 'string') {
    h = fmix32(h ^ STRING_SALT);
    for (let i = 0; i < part.length; i++) h = fmix32((h ^ part.charCodeAt(i)) + 0x632be5ab);
    return fmix32(h ^ part.length);
  }
  if (!Number.isSafeInteger(part)) {
    throw new RangeError(`a PRNG seed or stream id must be a safe integer, got ${part}`);
  }
  const lo = part >>> 0;
  const hi = Math.floor(part / 4294967296) >>> 0;
  h = fmix32((h ^ lo) + 0x6d2b79f5);
  return fmix32((h ^ hi) + 0x1b873593);
}

/**
 * A 32-bit seed derived from a seed and a path of stream ids (trial number, param name, …): different
 * paths give independent-looking seeds, the same path always the same seed.
 * @example
 * deriveSeed(42, 7) // the seed of trial 7 in a study seeded 42
 */
export function deriveSeed(seed: number, ...stream: readonly (number | string)[]): number {
  let h = mix(0x811c9dc5, seed);
  for (const part of stream) h = mix(h, part);
  return h;
}

/**
 * A PRNG for `seed` and an optional stream path.
 * @example
 * const rng = createPrng(42, trialNumber);
 * rng.next(); // same value for the same (42, trialNumber) on any machine
 */
export function createPrng(seed: number, ...stream: readonly (number | string)[]): Prng {
  let a = deriveSeed(seed, ...stream, 'a');
  let b = deriveSeed(seed, ...stream, 'b');
  let c = deriveSeed(seed, ...stream, 'c');
  let d = 1;
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // sfc32's authors discard the first outputs so that similar seeds diverge.
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Prng.int needs a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    normal: () => {
      // 1 - next() is in (0, 1], so the log is finite.
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      return r * Math.cos(2 * Math.PI * next());
    },
  };
}
