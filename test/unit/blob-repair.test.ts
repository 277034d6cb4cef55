/**
 * Class 3 of issue 7: a write never keeps a file it has not verified. A blob of the right size but
 * the wrong content is replaced (and a copy kept in quarantine), on the normal path and on the
 * publish fallback that meets a file it cannot rename over.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileHolds, writeFileAtomicSync } from '../../core/artifacts/atomic-write.ts';
import { openBlobStore } from '../../core/artifacts/blob-store.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'mlcycle-blob-repair-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const bytesOf = (text: string) => new TextEncoder().encode(text);
/** Flips one byte in the middle of a file: same size, other content. */
function corrupt(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 0xff;
  writeFileSync(path, bytes);
}

describe('BlobStore.write repairs what it finds', () => {
  it('replaces a corrupt blob of the right size, keeps the bad one in quarantine, and reports it', () => {
    const blobs = openBlobStore(join(home, 'objects'));
    const content = bytesOf('{"accuracy":0.97,"rows":27001}');
    const { digest } = blobs.write(content);
    corrupt(blobs.path(digest));
    expect(statSync(blobs.path(digest)).size).toBe(content.byteLength);
    expect(blobs.verify(digest)).toBe('corrupt');

    const again = blobs.write(content);
    expect(again).toEqual({ digest, bytes: content.byteLength, repaired: true });
    expect(blobs.verify(digest)).toBe('ok');
    expect(new Uint8Array(readFileSync(blobs.path(digest)))).toEqual(content);
    const kept = readdirSync(join(home, 'quarantine'));
    expect(kept).toHaveLength(1);
    expect(kept[0].startsWith(`${digest}-`)).toBe(true);
    expect(createHash('sha256').update(readFileSync(join(home, 'quarantine', kept[0]))).digest('hex')).not.toBe(digest);
  });

  it('replaces a truncated blob, and keeps a good one untouched (no repair, same inode)', () => {
    const blobs = openBlobStore(join(home, 'objects'));
    const content = bytesOf('x'.repeat(100_000));
    const { digest } = blobs.write(content);
    const inode = statSync(blobs.path(digest)).ino;
    expect(blobs.write(content)).toEqual({ digest, bytes: 100_000 });
    expect(statSync(blobs.path(digest)).ino).toBe(inode);
    writeFileSync(blobs.path(digest), content.subarray(0, 10));
    expect(blobs.write(content).repaired).toBe(true);
    expect(blobs.verify(digest)).toBe('ok');
  });
});

describe('fileHolds: exact content compare', () => {
  it('is true only for the same bytes', () => {
    const path = join(home, 'f');
    const content = new Uint8Array(200_000).map((_, i) => i % 251);
    writeFileSync(path, content);
    expect(fileHolds(path, content)).toBe(true);
    const lastByteDiffers = content.slice();
    lastByteDiffers[lastByteDiffers.length - 1] ^= 1;
    expect(fileHolds(path, lastByteDiffers)).toBe(false);
    expect(fileHolds(path, content.subarray(0, 199_999))).toBe(false);
    expect(fileHolds(join(home, 'missing'), content)).toBe(false);
    expect(fileHolds(home, content)).toBe(false);
  });
});

describe('publish fallback (a file the rename cannot replace, as on Windows)', () => {
  // An immutable file refuses rename-over even for root: the nearest Linux analogue of Windows
  // refusing to replace a file another process holds open.
  function immutable(path: string): boolean {
    try {
      execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
  const release = (path: string) => execFileSync('chattr', ['-i', path], { stdio: 'ignore' });

  it('accepts the existing file only when its bytes are the ones being written', () => {
    const target = join(home, 'blob');
    const content = bytesOf('right content');
    writeFileSync(target, content);
    if (!immutable(target)) {
      console.log(`skipped: chattr +i is not supported on ${dirname(target)}; cannot make rename fail`);
      return;
    }
    try {
      expect(() => writeFileAtomicSync(target, content)).not.toThrow();
      release(target);
      corrupt(target);
      expect(immutable(target)).toBe(true);
      // Same size, other bytes: before the fix the size match made this a silent success.
      expect(() => writeFileAtomicSync(target, content)).toThrow(/EPERM|operation not permitted/i);
      // No temp file is left behind either way.
      expect(readdirSync(home).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    } finally {
      release(target);
    }
  });
});
