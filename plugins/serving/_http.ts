import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * An error with the HTTP status (and headers) its response must carry.
 * @example
 * throw new HttpError(503, 'overloaded', { 'retry-after': '1' });
 */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * A check of `Authorization: Bearer <token>` against `token` in constant time: both sides are hashed
 * with sha256 first, so the comparison takes the same time whatever the length or content sent.
 * @example
 * const allowed = bearerCheck(process.env.MLCYCLE_SERVE_TOKEN!);
 * allowed(request.headers.authorization); // true or false
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const sent = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : '';
    return timingSafeEqual(createHash('sha256').update(sent).digest(), expected) && sent.length > 0;
  };
}

/**
 * A message cut to `max` characters: errors never echo a huge value.
 * @example
 * cutMessage('x'.repeat(1000)).length; // 501
 */
export function cutMessage(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
