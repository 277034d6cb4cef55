import { randomBytes } from 'node:crypto';
import { open, mkdir, readFile, rename, rm, stat, readdir, lstat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataError, HOST_TAG as HOST, processAlive } from '../../core/index.ts';
import { BUNDLE_FORMAT } from './_manifest.ts';

/** Past this age a leftover is stale whoever made it (a pid reused, another machine's crash). */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** Swaps retried when another exporter published between our two renames (each retry moves theirs aside). */
const MAX_SWAP_ATTEMPTS = 100;

/**
 * Writes `files` as the folder `out`, atomically for readers: everything goes into a temp folder
 * beside `out` (same file system, so rename is atomic), each file fsynced, then the temp folder is
 * renamed into place. An existing bundle at `out` is moved aside first and removed after, since
 * rename cannot replace a non-empty folder; a folder that is not a bundle is never replaced.
 *
 * Safe against concurrent exporters to one `out`: when another swap lands between our two renames,
 * ours moves it aside and retries, so `out` ends holding one whole bundle (the last to land), never
 * a mix and never missing. Leftovers of crashed swaps of this bundle name (`.<name>.tmp-…`,
 * `.<name>.old-…`) are removed first, but only once stale: made on this machine by a process that
 * is gone, or older than a day; a live exporter's temp folder is never touched.
 * @example
 * await writeFolderAtomically('/abs/bundles/model', { 'manifest.json': bytes });
 */
export async function writeFolderAtomically(out: string, files: Record<string, Uint8Array>): Promise<void> {
  await assertReplaceable(out);
  const parent = path.dirname(out);
  const base = path.basename(out);
  await mkdir(parent, { recursive: true });
  await removeStaleLeftovers(parent, base);
  const temp = path.join(parent, `.${base}.tmp-${uniqueTag()}`);
  await mkdir(temp);
  try {
    for (const [name, bytes] of Object.entries(files)) await writeSynced(path.join(temp, name), bytes);
    await syncDir(temp);
    const olds = await swapIn(temp, out, parent, base);
    await syncDir(parent);
    for (const old of olds) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * rename(out → old), rename(temp → out), retried while another exporter's rename lands in between
 * (ENOTEMPTY/EEXIST: `out` is theirs now, so it is moved aside too). Returns the folders moved aside.
 */
async function swapIn(temp: string, out: string, parent: string, base: string): Promise<string[]> {
  const olds: string[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      const old = path.join(parent, `.${base}.old-${uniqueTag()}`);
      try {
        await rename(out, old);
        olds.push(old);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      try {
        await rename(temp, out);
        return olds;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= MAX_SWAP_ATTEMPTS) throw err;
        await sleep(1 + Math.floor(Math.random() * 5 * attempt));
      }
    }
  } catch (err) {
    // Never leave `out` missing because of us: put the last bundle we moved aside back.
    const last = olds.pop();
    if (last && !(await exists(out))) await rename(last, out).catch(() => undefined);
    for (const old of olds) await rm(old, { recursive: true, force: true });
    throw err;
  }
}

/** `<host>-<pid>-<random>`: unique, and says who made it so a later export can tell if it is stale. */
function uniqueTag(): string {
  return `${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Removes this bundle name's `.tmp-`/`.old-` folders that no live exporter owns (best effort). */
async function removeStaleLeftovers(parent: string, base: string): Promise<void> {
  const prefixes = [`.${base}.tmp-`, `.${base}.old-`];
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const info = await lstat(path.join(parent, name)).catch(() => undefined);
    if (!info?.isDirectory() || !isStale(name.slice(prefix.length), Date.now() - info.mtimeMs)) continue;
    await rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * `tail` is `<host>-<pid>-<hex>` (this version) or `<pid>-<hex>` (earlier ones, made on this machine).
 * Anything else is not ours (another bundle named like `<base>.tmp-x`): never stale.
 */
function isStale(tail: string, ageMs: number): boolean {
  const parts = tail.split('-');
  const [host, pid, hex] = parts.length === 3 ? parts : parts.length === 2 ? [HOST, ...parts] : [];
  if (!host || !/^[0-9a-f]{8}$/.test(host) || !/^[1-9]\d{0,9}$/.test(pid) || !/^[0-9a-f]{8,}$/.test(hex)) return false;
  if (ageMs > STALE_AFTER_MS) return true;
  return host === HOST && !processAlive(Number(pid));
}

/**
 * Refuses to replace a file or a folder that is not a bundle. Another exporter may swap `out` while we
 * look (its folder renamed away mid-read): when `out` is no longer the folder we started reading, look again.
 */
async function assertReplaceable(out: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new DataError(`exporters/bundle: will not replace '${out}': ${why}. Choose another params.out or remove it.`);
  };
  for (let attempt = 1; ; attempt++) {
    const info = await stat(out).catch(() => undefined);
    if (!info) return;
    if (!info.isDirectory()) refuse('it is a file');
    const entries = await readdir(out).catch(() => undefined);
    const manifest = entries?.length === 0 ? undefined : await readFile(path.join(out, 'manifest.json'), 'utf8').catch(() => '');
    if (manifest === undefined && entries) return;
    if (manifest?.includes(`"${BUNDLE_FORMAT}"`)) return;
    const now = await stat(out).catch(() => undefined);
    const swapped = !now || now.ino !== info.ino || now.dev !== info.dev;
    if (!swapped || attempt >= MAX_SWAP_ATTEMPTS) refuse('it is a folder that is not an mlcycle bundle');
  }
}

async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  // fsync of a directory makes the rename durable; some platforms refuse to open folders, which is fine.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}
