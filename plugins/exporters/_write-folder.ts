import { randomBytes } from 'node:crypto';
import { open, mkdir, readFile, rename, rm, stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../../core/index.ts';
import { BUNDLE_FORMAT } from './_manifest.ts';

/**
 * Writes `files` as the folder `out`, atomically for readers: everything goes into a temp folder
 * beside `out` (same file system, so rename is atomic), each file fsynced, then the temp folder is
 * renamed into place. An existing bundle at `out` is moved aside first and removed after, since
 * rename cannot replace a non-empty folder; a folder that is not a bundle is never replaced.
 * @example
 * await writeFolderAtomically('/abs/bundles/model', { 'manifest.json': bytes });
 */
export async function writeFolderAtomically(out: string, files: Record<string, Uint8Array>): Promise<void> {
  await assertReplaceable(out);
  const parent = path.dirname(out);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = path.join(parent, `.${path.basename(out)}.tmp-${suffix}`);
  await mkdir(temp);
  try {
    for (const [name, bytes] of Object.entries(files)) await writeSynced(path.join(temp, name), bytes);
    await syncDir(temp);
    const old = path.join(parent, `.${path.basename(out)}.old-${suffix}`);
    const hadOld = await exists(out);
    if (hadOld) await rename(out, old);
    await rename(temp, out);
    await syncDir(parent);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

async function assertReplaceable(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  const refuse = (why: string): never => {
    throw new DataError(`exporters/bundle: will not replace '${out}': ${why}. Choose another params.out or remove it.`);
  };
  if (!info.isDirectory()) refuse('it is a file');
  if ((await readdir(out)).length === 0) return;
  const manifest = await readFile(path.join(out, 'manifest.json'), 'utf8').catch(() => '');
  if (!manifest.includes(`"${BUNDLE_FORMAT}"`)) refuse('it is a folder that is not an mlcycle bundle');
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
