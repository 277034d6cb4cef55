import { createHash } from 'node:crypto';

/**
 * Hex sha256 of bytes or text: what the bundle manifest records per file.
 * @example
 * sha256(new TextEncoder().encode('abc')) // 'ba7816bf…'
 */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
