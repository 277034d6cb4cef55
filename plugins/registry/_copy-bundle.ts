import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBundle, SIGNATURE_FILE, type Bundle, type LoadBundleOptions } from '../exporters/bundle-io.ts';

/** A verified copy of a bundle in a temporary folder, ready to be renamed into the registry. */
export interface StagedBundle {
  tmp: string;
  bundle: Bundle;
  manifestSha256: string;
}

/**
 * Copies a bundle into a fresh folder under `tmpRoot` and verifies THE COPY (every file against its
 * manifest, the signature when a key is configured): what the registry keeps is what was checked,
 * even if the source changes meanwhile. The source is verified first so a refused bundle (a `../`
 * name, a link out, a hard link) is refused before anything is copied. Files are fsynced and made
 * read-only. On any failure the temporary folder is removed.
 * @example
 * const staged = await stageBundle('/abs/bundles/penguins', '/ws/models/.tmp', {});
 */
export async function stageBundle(source: string, tmpRoot: string, options: LoadBundleOptions): Promise<StagedBundle> {
  const original = await loadBundle(source, options);
  await mkdir(tmpRoot, { recursive: true });
  await clearDeadStages(tmpRoot);
  const tmp = join(tmpRoot, `stage-${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp);
  try {
    const names = ['manifest.json', ...Object.keys(original.manifest.files)];
    if (await exists(join(original.dir, SIGNATURE_FILE))) names.push(SIGNATURE_FILE);
    for (const name of names) {
      // COPYFILE_EXCL: a name listed twice or a racing writer cannot overwrite what was copied.
      await copyFile(join(original.dir, name), join(tmp, name), constants.COPYFILE_EXCL);
      await syncAndFreeze(join(tmp, name));
    }
    await syncFolder(tmp);
    const manifestSha256 = createHash('sha256').update(await readFile(join(tmp, 'manifest.json'))).digest('hex');
    const bundle = await loadBundle(tmp, { ...options, expectedManifestSha256: manifestSha256 });
    return { tmp, bundle, manifestSha256 };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Removes the staging folders of registers whose process died (kill -9 mid-copy): never a version, only litter. */
async function clearDeadStages(tmpRoot: string): Promise<void> {
  for (const entry of await readdir(tmpRoot)) {
    const pid = /^stage-(\d+)-[0-9a-f]+$/.exec(entry)?.[1];
    if (pid !== undefined && !alive(Number(pid))) await rm(join(tmpRoot, entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(file: string): Promise<boolean> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => undefined);
  await handle?.close();
  return handle !== undefined;
}

/** Flushed before the rename makes it a version: a power cut must not leave a version of empty files. */
async function syncAndFreeze(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(file, 0o444);
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the files themselves are already flushed.
  } finally {
    await handle.close();
  }
}
