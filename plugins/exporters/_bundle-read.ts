import { constants } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Says why a bundle is refused and throws; the caller adds which bundle and how to fix it. */
export type Refuse = (why: string, cause?: unknown) => never;

/** The bundle folder, resolved once: every file is read relative to this real path. */
export interface BundleRoot {
  /** Real path of the folder (links in the path the user gave are resolved here, once). */
  real: string;
  /** Device of the folder: a bundle file on another device cannot be one of its plain files. */
  dev: number;
}

/**
 * A file name a bundle may hold: one plain name, no folder, no leading dot, nothing the file system
 * or an object lookup treats specially.
 */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * Shows a name from a bundle in an error without letting it run on: at most 60 characters, JSON-quoted.
 * @example
 * quoteName('../../etc/passwd') // '"../../etc/passwd"'
 */
export function quoteName(name: unknown): string {
  const text = JSON.stringify(String(name));
  return text.length > 62 ? `${text.slice(0, 60)}…"` : text;
}

/**
 * Resolves the bundle folder. The folder itself may be reached through a link (a `current → v3`
 * deployment link is common); what counts is the real folder, and nothing inside may leave it.
 * @example
 * const root = await openBundleRoot('/abs/bundles/penguins', refuse);
 */
export async function openBundleRoot(dir: string, refuse: Refuse): Promise<BundleRoot> {
  const real = await realpath(dir).catch((err: NodeJS.ErrnoException) =>
    refuse(err.code === 'ENOENT' ? 'manifest.json is missing (there is no folder at that path)' : `the folder cannot be opened (${err.code ?? 'error'})`, err),
  );
  const info = await stat(real).catch((err: NodeJS.ErrnoException) => refuse(`the folder cannot be opened (${err.code ?? 'error'})`, err));
  if (!info.isDirectory()) refuse('it is not a folder');
  return { real, dev: info.dev };
}

/**
 * Reads one file of a bundle, refusing anything but a plain file that lives in the bundle folder:
 * a name with a folder or a leading dot, a symbolic link, a hard link (its bytes are shared with a
 * file elsewhere), a device, FIFO or folder, or a file on another device. The final open uses
 * O_NOFOLLOW and the checks run on the opened handle, so a file swapped for a link between the
 * check and the read is refused too. Resolves to undefined when the file is absent and `optional`.
 * Errors name the file and the problem, never its bytes.
 * @example
 * const bytes = await readBundleFile(root, 'manifest.json', refuse);
 */
export async function readBundleFile(root: BundleRoot, name: string, refuse: Refuse, optional = false): Promise<Uint8Array | undefined> {
  if (!PLAIN_NAME.test(name)) refuse(`manifest.json lists ${quoteName(name)}, which is not a plain file name inside the bundle`);
  const file = path.join(root.real, name);
  const before = await lstat(file).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : refuse(`cannot read ${name} (${err.code ?? 'error'})`, err)));
  if (!before) return optional ? undefined : refuse(`${name} is missing`);
  if (before.isSymbolicLink()) refuse(`${name} is a symbolic link; a bundle holds plain files only (replace the link with the file, or re-export the bundle)`);
  // O_NONBLOCK: opening a FIFO swapped in after lstat must not hang the loader.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(file, flags).catch((err: NodeJS.ErrnoException) =>
    refuse(err.code === 'ELOOP' ? `${name} is a symbolic link; a bundle holds plain files only` : `cannot open ${name} (${err.code ?? 'error'})`, err),
  );
  try {
    const info = await handle.stat();
    if (!info.isFile()) refuse(`${name} is not a regular file (a folder, device or FIFO); a bundle holds plain files only`);
    if (info.ino !== before.ino || info.dev !== before.dev) refuse(`${name} was replaced while it was being read; load the bundle again`);
    if (info.dev !== root.dev) refuse(`${name} is on another device than the bundle folder (a mount point); a bundle holds plain files only`);
    if (info.nlink > 1) refuse(`${name} is a hard link (${info.nlink} names share its bytes); copy the bundle without hard links (cp -r) or re-export it`);
    // The folder holds the file under this name, so its real path must be exactly this one.
    const real = await realpath(file).catch(() => '');
    if (real !== path.join(root.real, name)) refuse(`${name} resolves outside the bundle folder`);
    const bytes = await handle.readFile().catch((err: NodeJS.ErrnoException) => refuse(`cannot read ${name} (${err.code ?? 'error'})`, err));
    if (bytes.byteLength !== info.size) refuse(`${name} changed while it was being read; load the bundle again`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await handle.close();
  }
}
