import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { IntegrityError, ValidationError } from '../../core/errors.ts';
import { listTempFiles } from '../../core/artifacts/blob-layout.ts';
import { openBlobStore } from '../../core/artifacts/blob-store.ts';
import type { BlobStore } from '../../core/artifacts/blob-store.ts';
import { gcBlobs, verifyBlobs } from '../../core/artifacts/cache-maintenance.ts';

const text = (s: string) => new TextEncoder().encode(s);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Byte equality without jest's element-by-element diff, which takes seconds on a megabyte. */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
const TWO_HOURS_AGO = () => new Date(Date.now() - 2 * 3600_000);

let home: string;
let blobs: BlobStore;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'mlcycle-blobs-'));
  blobs = openBlobStore(join(home, 'objects'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Every file under objects/, relative, temp files included. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe('blob store: write and read', () => {
  it('round-trips bytes under objects/ab/cdef…', () => {
    const bytes = text('{"a":1}');
    const { digest, bytes: size } = blobs.write(bytes);
    expect(digest).toBe(sha(bytes));
    expect(size).toBe(bytes.byteLength);
    expect(blobs.path(digest)).toBe(join(home, 'objects', digest.slice(0, 2), digest.slice(2)));
    expect(blobs.read(digest)).toEqual(bytes);
    expect(blobs.has(digest)).toBe(true);
    expect(blobs.verify(digest)).toBe('ok');
    expect(blobs.list()).toEqual([digest]);
  });

  it('stores the same bytes once', () => {
    const a = blobs.write(text('same'));
    const b = blobs.write(text('same'));
    expect(b.digest).toBe(a.digest);
    expect(filesUnder(blobs.root)).toEqual([`${a.digest.slice(0, 2)}/${a.digest.slice(2)}`]);
  });

  it('stores empty and large blobs', () => {
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 255);
    for (const bytes of [new Uint8Array(0), big]) expect(same(blobs.read(blobs.write(bytes).digest), bytes)).toBe(true);
  });

  it('lists every digest, sorted, and nothing when the store is new', () => {
    expect(blobs.list()).toEqual([]);
    const digests = ['x', 'y', 'z', 'w'].map((s) => blobs.write(text(s)).digest);
    expect(blobs.list()).toEqual([...digests].sort());
  });

  it('reports a missing blob by digest', () => {
    const digest = sha(text('never written'));
    expect(blobs.has(digest)).toBe(false);
    expect(blobs.verify(digest)).toBe('missing');
    expect(() => blobs.read(digest)).toThrow(IntegrityError);
    expect(() => blobs.read(digest)).toThrow(digest);
  });

  it('rejects what is not a digest instead of touching paths outside the store', () => {
    expect(() => blobs.path('../../etc/passwd')).toThrow(ValidationError);
    expect(() => blobs.read('AB'.repeat(32))).toThrow(ValidationError);
    expect(blobs.has('nope')).toBe(false);
    expect(blobs.verify('nope')).toBe('missing');
  });

  it('removes a blob, and removing it again is harmless', () => {
    const { digest } = blobs.write(text('gone'));
    blobs.remove(digest);
    blobs.remove(digest);
    expect(blobs.has(digest)).toBe(false);
    expect(blobs.list()).toEqual([]);
  });
});

describe('blob store: damaged blobs', () => {
  it('detects a flipped byte: read throws IntegrityError, verify says corrupt', () => {
    const bytes = text('important model weights');
    const { digest } = blobs.write(bytes);
    const onDisk = readFileSync(blobs.path(digest));
    onDisk[3] ^= 0xff;
    writeFileSync(blobs.path(digest), onDisk);
    expect(() => blobs.read(digest)).toThrow(IntegrityError);
    expect(() => blobs.read(digest)).toThrow(`blob ${digest} is corrupt`);
    expect(blobs.verify(digest)).toBe('corrupt');
    expect(blobs.has(digest)).toBe(true);
  });

  it('detects a truncated blob, and a later write of the bytes repairs it', () => {
    const bytes = text('a table in arrow ipc, say');
    const { digest } = blobs.write(bytes);
    writeFileSync(blobs.path(digest), bytes.slice(0, 5));
    expect(() => blobs.read(digest)).toThrow(IntegrityError);
    expect(blobs.verify(digest)).toBe('corrupt');
    blobs.write(bytes);
    expect(blobs.read(digest)).toEqual(bytes);
  });

  it('quarantines a bad blob to <home>/quarantine/<digest>-<time>, keeping its bytes', () => {
    const { digest } = blobs.write(text('to be damaged'));
    writeFileSync(blobs.path(digest), 'garbage');
    const moved = blobs.quarantine(digest);
    expect(dirname(moved)).toBe(join(home, 'quarantine'));
    expect(moved).toMatch(new RegExp(`/${digest}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z$`));
    expect(readFileSync(moved, 'utf8')).toBe('garbage');
    expect(blobs.has(digest)).toBe(false);
    expect(blobs.list()).toEqual([]);
    expect(() => blobs.quarantine(digest)).toThrow(IntegrityError);
  });
});

describe('blob store: crash safety and concurrency', () => {
  it('ignores temp files a crashed write left behind', () => {
    const { digest } = blobs.write(text('kept'));
    const shard = dirname(blobs.path(digest));
    writeFileSync(join(shard, '.tmp-99999-deadbeefdeadbeef'), 'half a blo');
    mkdirSync(join(blobs.root, 'zz'));
    writeFileSync(join(blobs.root, 'zz', 'stray'), 'x');
    expect(blobs.list()).toEqual([digest]);
  });

  it('lets a concurrent process publish the same digest while this one writes: both succeed, one file', async () => {
    const size = 1 << 20;
    const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
    const digest = sha(bytes);
    // The child follows the store's protocol (temp in the same folder → fsync → rename) in plain JS,
    // and between its writes reads the blob back, counting partial reads: our writes must never show one.
    const child = spawn(process.execPath, ['-e', `
      const fs = require('fs'), path = require('path'), crypto = require('crypto');
      const [target, size, digest, ms] = process.argv.slice(1);
      const bytes = new Uint8Array(Number(size)).map((_, i) => (i * 31 + 7) & 255);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      console.log('ready');
      let n = 0, partial = 0;
      for (const end = Date.now() + Number(ms); Date.now() < end; n++) {
        const temp = path.join(path.dirname(target), '.tmp-' + process.pid + '-' + n);
        const fd = fs.openSync(temp, 'wx');
        fs.writeSync(fd, bytes); fs.fsyncSync(fd); fs.closeSync(fd);
        fs.renameSync(temp, target);
        for (let r = 0; r < 5; r++) {
          try {
            if (crypto.createHash('sha256').update(fs.readFileSync(target)).digest('hex') !== digest) partial++;
          } catch (e) { if (e.code !== 'ENOENT') throw e; }
        }
      }
      console.log('wrote ' + n + ' partial ' + partial);
    `, blobs.path(digest), String(size), digest, '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('ready')) resolve();
    }));

    let writes = 0;
    const states = new Set<string>();
    for (const end = Date.now() + 400; Date.now() < end; writes++) {
      blobs.remove(digest); // force a real temp+rename on every round, racing the child's renames
      expect(blobs.write(bytes).digest).toBe(digest);
      states.add(blobs.verify(digest));
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/wrote [1-9]\d* partial 0\b/);
    expect(writes).toBeGreaterThan(0);
    // Readers only ever saw whole blobs (or none, just after a remove): never a partial one.
    expect(states.has('corrupt')).toBe(false);
    blobs.write(bytes);
    expect(blobs.list()).toEqual([digest]);
    expect(same(blobs.read(digest), bytes)).toBe(true);
    expect(listTempFiles(blobs.root)).toEqual([]);
  });
});

describe('verifyBlobs', () => {
  it('checks stored and expected blobs, quarantining the corrupt ones', () => {
    const good = blobs.write(text('good')).digest;
    const bad = blobs.write(text('bad')).digest;
    writeFileSync(blobs.path(bad), 'bqd');
    const lost = sha(text('lost'));
    const progress: Array<[number, number]> = [];
    const report = verifyBlobs(blobs, {
      quarantine: true, expected: [good, lost], onProgress: (done, total) => progress.push([done, total]),
    });
    expect(report.checked).toBe(3);
    expect(report.ok).toBe(1);
    expect(report.missing).toEqual([lost]);
    expect(report.corrupt).toEqual([bad]);
    expect(report.quarantined).toHaveLength(1);
    expect(report.quarantined[0]).toContain(join(home, 'quarantine', bad));
    expect(blobs.list()).toEqual([good]);
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('leaves corrupt blobs in place without quarantine', () => {
    const bad = blobs.write(text('bad')).digest;
    writeFileSync(blobs.path(bad), 'bqd');
    const report = verifyBlobs(blobs, { quarantine: false });
    expect(report.corrupt).toEqual([bad]);
    expect(report.quarantined).toEqual([]);
    expect(blobs.has(bad)).toBe(true);
  });
});

describe('gcBlobs', () => {
  function threeBlobs() {
    const [a, b, c] = ['keep me', 'drop me', 'drop me too'].map((s) => blobs.write(text(s)).digest);
    return { a, b, c };
  }

  it('removes only unreferenced blobs, and a dry run removes nothing', () => {
    const { a, b, c } = threeBlobs();
    const dry = gcBlobs(blobs, new Set([a]), { dryRun: true });
    expect(dry.removed).toEqual([b, c].sort());
    expect(dry.freedBytes).toBe('drop me'.length + 'drop me too'.length);
    expect(dry.kept).toBe(1);
    expect(blobs.list()).toEqual([a, b, c].sort());

    const real = gcBlobs(blobs, new Set([a]), { dryRun: false });
    expect(real).toEqual(dry);
    expect(blobs.list()).toEqual([a]);
    expect(blobs.read(a)).toEqual(text('keep me'));
  });

  it('spares unreferenced blobs written within the grace period (a run may not have recorded them yet)', () => {
    const { a, b, c } = threeBlobs();
    utimesSync(blobs.path(c), TWO_HOURS_AGO(), TWO_HOURS_AGO());
    const report = gcBlobs(blobs, new Set([a]), { dryRun: false, graceMs: 3600_000 });
    expect(report.removed).toEqual([c]);
    expect(report.recent).toBe(1);
    expect(report.kept).toBe(2);
    expect(blobs.list()).toEqual([a, b].sort());
  });

  it('a write that finds its blob present freshens it, so gc spares it', () => {
    const { b } = threeBlobs();
    utimesSync(blobs.path(b), TWO_HOURS_AGO(), TWO_HOURS_AGO());
    blobs.write(text('drop me'));
    expect(gcBlobs(blobs, new Set(), { dryRun: false, graceMs: 3600_000 }).removed).not.toContain(b);
    expect(blobs.has(b)).toBe(true);
  });

  it('removes temp files older than an hour and keeps fresh ones (a write may be in flight)', () => {
    const { a } = threeBlobs();
    const shard = dirname(blobs.path(a));
    const stale = join(shard, '.tmp-1-stale');
    const fresh = join(shard, '.tmp-2-fresh');
    writeFileSync(stale, '12345');
    writeFileSync(fresh, 'x');
    utimesSync(stale, TWO_HOURS_AGO(), TWO_HOURS_AGO());

    const dry = gcBlobs(blobs, new Set(blobs.list()), { dryRun: true });
    expect(dry.tempFiles).toEqual([stale]);
    expect(dry.freedBytes).toBe(5);
    expect(existsSync(stale)).toBe(true);

    const real = gcBlobs(blobs, new Set(blobs.list()), { dryRun: false });
    expect(real.tempFiles).toEqual([stale]);
    expect(real.removed).toEqual([]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
