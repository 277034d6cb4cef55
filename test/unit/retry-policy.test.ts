import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY, resolveRetry, retryDelayMs } from '../../core/engine/retry-policy.ts';

describe('retry policy', () => {
  const policy = resolveRetry({ maxAttempts: 6, initialDelayMs: 100, backoffCoefficient: 3, maxDelayMs: 2000, jitter: 0 });

  it('grows delays exponentially and caps them', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n))).toEqual([100, 300, 900, 2000, 2000]);
  });

  it('spreads delays by ± jitter around the exponential value', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(retryDelayMs(jittered, 2, () => 0)).toBe(150); // 300 × (1 − 0.5)
    expect(retryDelayMs(jittered, 2, () => 1)).toBe(450); // 300 × (1 + 0.5)
    expect(retryDelayMs(jittered, 2, () => 0.5)).toBe(300);
  });

  it('does not retry unless a task asks', () => {
    expect(DEFAULT_RETRY.maxAttempts).toBe(1);
    expect(resolveRetry({ maxAttempts: 3 })).toEqual({ ...DEFAULT_RETRY, maxAttempts: 3 });
  });
});
