import { randomBytes } from 'node:crypto';
import {
  chmodSync, chownSync, closeSync, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, statSync,
  unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MlcycleError, ValidationError } from '../errors.ts';
import { HOST_TAG as HOST, processAlive } from '../process-alive.ts';

/** Past this age a leftover temp is stale whoever made it (a reused pid, another machine's crash). */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Options of {@link writeUserFile}. */
export interface WriteUserFileOptions {
  /**
   * Files the command read to make this output (`predict in.csv --out in.csv`): the target must not be
   * any of them, whatever the spelling (relative, `..`, a symlink or a hard link to the same file).
   */
  inputs?: readonly string[];
  /** `false`: refuse a target that already exists (scaffolding never overwrites user files). Default true. */
  overwrite?: boolean;
  /** Resolves a relative target and inputs (default: the process's working directory). */
  cwd?: string;
  /**
   * Permission bits of a new file, set before any byte is written (a private key must never exist
   * world-readable, even briefly). Default 0o666 minus the umask; a replaced file keeps its own mode.
   */
  mode?: number;
}

/**
 * Writes a file the user asked for (`--out`, `--report`, scaffolding) so that it is either the old file
 * or the whole new one, never a partial write: temp file in the same folder → write → fsync → rename
 * over the target → fsync the folder. On any failure (ENOSPC, EIO, a kill between steps) the temp is
 * removed and an existing file stays byte-identical. A replaced file keeps its mode (and owner, when
 * running as root); a symlinked target is written through (the link stays a link). A FIFO or character
 * device target (`/dev/stdout`) is written directly, since it cannot be renamed over.
 *
 * Refusals are ValidationErrors (CLI exit code 2): a target that is one of `inputs`, a parent folder
 * that does not exist, a target that is a folder, or (with `overwrite: false`) a target that exists.
 * @example
 * writeUserFile('preds.csv', csvText, { inputs: ['new-penguins.csv'] });
 * writeUserFile('proj/README.md', text, { overwrite: false });
 */
export function writeUserFile(target: string, data: string | Uint8Array, options: WriteUserFileOptions = {}): void {
  const place = checkTarget(target, options);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (!place.folder) return writeInPlace(target, place.requested, bytes);
  const { existing, final, folder } = place;
  const prefix = `.${basename(final)}.tmp-`;
  removeStaleTemps(folder, prefix);
  const temp = join(folder, `${prefix}${HOST}-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    writeSynced(temp, bytes, existing, options.mode);
    if (options.overwrite === false) publishExclusive(temp, final, target);
    else renameSync(temp, final);
    syncFolder(folder);
  } catch (err) {
    unlinkQuietly(temp);
    if (err instanceof MlcycleError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' ? 'no space left on device' : code === 'EDQUOT' ? 'disk quota exceeded' : (err as Error).message;
    const kept = existing ? 'the existing file is unchanged' : 'nothing was written';
    throw new MlcycleError(`could not write '${target}': ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}; ${kept}.`, { cause: err });
  }
}

/**
 * The refusals of writeUserFile without writing: for commands that should refuse a bad output before
 * doing the work that produces it (`predict --out in.csv` before loading the model). ValidationError
 * (exit 2) naming the target and the fix.
 * @example
 * checkUserFile(flags.out, { inputs: [inputFile], cwd });
 */
export function checkUserFile(target: string, options: Omit<WriteUserFileOptions, 'mode'> = {}): void {
  checkTarget(target, options);
}

/** Where a user file will land, after every refusal; `folder` is undefined for a FIFO or device, written in place. */
function checkTarget(target: string, options: Omit<WriteUserFileOptions, 'mode'>):
  { requested: string; existing: Stats | undefined; final: string; folder: string | undefined } {
  const cwd = options.cwd ?? process.cwd();
  const requested = resolve(cwd, target);
  const existing = statOrUndefined(requested);
  refuseInputs(target, requested, existing, options.inputs ?? [], cwd);
  if (existing?.isDirectory()) throw new ValidationError(`cannot write '${target}': it is a folder; name a file inside it.`);
  if (existing && options.overwrite === false) {
    throw new ValidationError(`cannot write '${target}': it already exists, and this command never overwrites files; move it away or pick another name.`);
  }
  if (existing && !existing.isFile()) return { requested, existing, final: requested, folder: undefined };
  // Through a symlink to the file it names, so the link survives and the temp sits on the target's file system.
  const final = existing ? realpathSync(requested) : requested;
  const folder = dirname(final);
  const folderInfo = statOrUndefined(folder);
  if (!folderInfo) throw new ValidationError(`cannot write '${target}': folder ${folder} does not exist; create it first.`);
  if (!folderInfo.isDirectory()) throw new ValidationError(`cannot write '${target}': ${folder} is not a folder.`);
  return { requested, existing, final, folder };
}

/** Same real path, or the same inode (hard link, bind mount), as any input: refuse before touching anything. */
function refuseInputs(target: string, requested: string, existing: Stats | undefined, inputs: readonly string[], cwd: string): void {
  const targetReal = realOrResolved(requested);
  for (const input of inputs) {
    const inputPath = resolve(cwd, input);
    const inputInfo = statOrUndefined(inputPath);
    const sameInode = existing && inputInfo && existing.dev === inputInfo.dev && existing.ino === inputInfo.ino;
    if (sameInode || realOrResolved(inputPath) === targetReal) {
      throw new ValidationError(
        `refusing to write '${target}': it is the input file '${input}', which writing would destroy; choose another output file.`,
      );
    }
  }
}

function writeSynced(temp: string, bytes: Uint8Array, existing: Stats | undefined, mode: number | undefined): void {
  const fd = openSync(temp, 'wx', existing ? existing.mode & 0o7777 : mode ?? 0o666);
  try {
    // An explicit mode is exact, not narrowed by the umask (open() applies it).
    if (!existing && mode !== undefined) fchmodSync(fd, mode);
    if (existing) {
      // open() applies the umask; a replaced file keeps exactly the mode (and owner) it had.
      fchmodSync(fd, existing.mode & 0o7777);
      if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) chownQuietly(temp, existing);
    }
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    // Durability before visibility: the rename must never publish bytes still only in the page cache.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** No-clobber publish: link() fails with EEXIST instead of replacing, atomically, where rename cannot. */
function publishExclusive(temp: string, final: string, target: string): void {
  try {
    linkSync(temp, final);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ValidationError(`cannot write '${target}': it already exists (created meanwhile); move it away or pick another name.`);
    // File systems without hard links (FAT, some FUSE mounts): check then rename, racy but the best available.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    if (statOrUndefined(final)) throw new ValidationError(`cannot write '${target}': it already exists; move it away or pick another name.`);
    renameSync(temp, final);
    return;
  }
  unlinkQuietly(temp);
}

/**
 * Temps of this target left by a writer killed before its rename (`kill -9`, power loss): removed once
 * no live process owns them, so crashes do not pile up hidden files beside the user's. Best effort.
 */
function removeStaleTemps(folder: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^([0-9a-f]{8})-([1-9]\d{0,9})-[0-9a-f]{12}$/.exec(name.slice(prefix.length));
    if (!match) continue;
    try {
      const path = join(folder, name);
      const info = lstatSync(path);
      if (!info.isFile()) continue;
      const dead = match[1] === HOST && !processAlive(Number(match[2]));
      if (dead || Date.now() - info.mtimeMs > STALE_AFTER_MS) unlinkSync(path);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
}

function writeInPlace(target: string, path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
  } catch (err) {
    throw new MlcycleError(`could not write '${target}': ${(err as Error).message}`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

function syncFolder(folder: string): void {
  // Makes the rename itself durable; some platforms cannot open a folder, where this is best effort.
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort, as above.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function chownQuietly(path: string, info: Stats): void {
  try {
    chownSync(path, info.uid, info.gid);
    chmodSync(path, info.mode & 0o7777); // chown clears set-id bits
  } catch {
    // A file system without owners (FAT): the mode was kept, the owner cannot be.
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Real path; for a file not there yet, its folder's real path joined with its name. */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already renamed or never created: nothing to remove.
  }
}
