import { randomBytes } from 'node:crypto';

/**
 * A run id that sorts by start time and is easy to type a prefix of: `20261126-153501-4f2a9c`.
 * @example
 * newRunId(); // '20261126-153501-4f2a9c'
 */
export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${date}-${time}-${randomBytes(3).toString('hex')}`;
}
