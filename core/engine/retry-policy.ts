import type { RetryPolicy } from '../task/types.ts';

/**
 * Tasks do not retry unless they ask: most ML failures (bad data, a wrong param) are deterministic,
 * and retrying them only delays the error. A task that talks to something flaky sets `retry`.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 1,
  initialDelayMs: 1000,
  backoffCoefficient: 2,
  maxDelayMs: 30_000,
  jitter: 0.2,
};

export function resolveRetry(policy?: Partial<RetryPolicy>): RetryPolicy {
  return { ...DEFAULT_RETRY, ...(policy ?? {}) };
}

/**
 * Delay before retry number `retry` (1 = the first retry): exponential, capped, with ± jitter.
 * @example
 * retryDelayMs({ ...DEFAULT_RETRY, jitter: 0 }, 3); // 4000
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffCoefficient ** (retry - 1));
  const spread = policy.jitter > 0 ? 1 + policy.jitter * (random() * 2 - 1) : 1;
  return Math.max(0, Math.round(base * spread));
}
