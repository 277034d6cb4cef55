import { constants as bufferConstants } from 'node:buffer';
import { constants as fsConstants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DataError, Type } from '../../core/index.ts';
import { formatBytes, inputLimit, overLimit, type InputLimit } from './_input-limit.ts';

/**
 * Resolves a loader's `path` param the way the engine hashes it: against the working directory.
 * @example
 * resolveDataPath('data/penguins.csv'); // '/home/me/project/data/penguins.csv'
 */
export function resolveDataPath(file: string): string {
  return path.resolve(process.cwd(), file);
}

/**
 * A bad-file error in the `file:line: what. how to fix` shape editors and compilers use.
 * @example
 * throw badFile('data.csv', 3, 'line 3 has 4 fields, header has 3', 'quote fields that contain commas');
 */
export function badFile(file: string, line: number | undefined, what: string, fix?: string, cause?: unknown): DataError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new DataError(`${where}: ${what}${fix ? `. ${fix}` : ''}`, cause === undefined ? undefined : { cause });
}

/**
 * Reads a data file whole, bounded. Anything but a regular file (a directory, /dev/zero, a FIFO, a
 * socket) is refused before a byte is read; the size comes from fstat of the opened descriptor (a
 * file swapped after the path was checked is still caught) and is held to the input limit
 * (MLCYCLE_MAX_INPUT_BYTES, default 2 GiB); at most limit + 1 bytes are read even if the file grows
 * meanwhile. Missing, unreadable, empty and too-large files fail at once (retrying cannot fix them);
 * other I/O errors (EMFILE, EBUSY) stay retryable.
 * @example
 * const bytes = await readDataFile('data/penguins.csv');
 */
export async function readDataFile(file: string): Promise<Uint8Array> {
  const abs = resolveDataPath(file);
  const limit = inputLimit();
  await checkDataFile(file); // by path first: a FIFO is refused without being opened, so nothing blocks
  let handle: FileHandle;
  try {
    // O_NONBLOCK: should the path become a FIFO after the check, open returns instead of waiting for a writer.
    handle = await open(abs, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0));
  } catch (err) {
    throw explainFsError(err, file, abs);
  }
  try {
    const info = await handle.stat();
    refuseIrregular(info, file, abs);
    if (info.size > limit.bytes) throw overLimit(file, `file is ${formatBytes(info.size)}`, limit, info.size);
    const bytes = await readBounded(handle, info.size, limit, file);
    if (bytes.byteLength === 0) throw badFile(file, undefined, 'file is empty (0 bytes)', 'Check that the export that wrote it finished');
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Reads an open file to its end, never more than limit + 1 bytes in all. `size` (from fstat) sizes
 * the first buffer; the extra byte notices a file that grew since, which is then read on, in growing
 * buffers, until its end or past the limit (an error).
 * @example
 * const bytes = await readBounded(handle, (await handle.stat()).size, inputLimit(), 'data.csv');
 */
export async function readBounded(handle: Pick<FileHandle, 'read'>, size: number, limit: InputLimit, file: string): Promise<Uint8Array> {
  let buf = Buffer.allocUnsafe(Math.min(size, limit.bytes) + 1);
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      if (n > limit.bytes) throw overLimit(file, 'file grew while it was read', limit);
      const bigger = Buffer.allocUnsafe(Math.min(Math.max(2 * buf.length, 1 << 16), limit.bytes + 1));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    // One read is capped below 2 GiB by the kernel and by Node; loop until end of file.
    const { bytesRead } = await handle.read(buf, n, Math.min(buf.length - n, 1 << 30), n);
    if (bytesRead === 0) return buf.subarray(0, n);
    n += bytesRead;
  }
}

/**
 * The checks of readDataFile without reading the content, for files a library opens itself (SQLite):
 * missing, unreadable, not a regular file, empty.
 * @example
 * await checkDataFile('shop.db');
 */
export async function checkDataFile(file: string): Promise<void> {
  const abs = resolveDataPath(file);
  let info: Stats;
  try {
    info = await stat(abs);
  } catch (err) {
    throw explainFsError(err, file, abs);
  }
  refuseIrregular(info, file, abs);
  if (info.size === 0) throw badFile(file, undefined, 'file is empty (0 bytes)', 'Check that the export that wrote it finished');
}

/** A loader reads files; a device, pipe or socket never ends or blocks, and a directory has no bytes. */
function refuseIrregular(info: Stats, file: string, abs: string): void {
  if (info.isFile()) return;
  if (info.isDirectory()) {
    throw badFile(file, undefined, `is a directory (${abs}), not a regular file`, 'Point path at a file inside it');
  }
  const kind = info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device'
    : info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a special file';
  throw badFile(file, undefined, `is ${kind} (${abs}), not a regular file; loaders read only regular files, since a device or pipe may never end`,
    'Save the data to a file first and point path at it');
}

function explainFsError(err: unknown, file: string, abs: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return badFile(file, undefined, `file not found (looked for ${abs}; cwd is ${process.cwd()})`,
      'Check the spelling, or give a path relative to the directory you run mlcycle from', err);
  }
  if (code === 'EISDIR') return badFile(file, undefined, `is a directory (${abs}), not a regular file`, 'Point path at a file inside it', err);
  if (code === 'EACCES' || code === 'EPERM') {
    return badFile(file, undefined, `permission denied reading ${abs}`, 'Make the file readable by this user', err);
  }
  if (code === 'ELOOP') return badFile(file, undefined, `too many levels of symbolic links at ${abs}`, 'Point path at the file itself', err);
  return err;
}

const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;
const UTF8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/**
 * Decodes text, strictly for UTF-8 so a Latin-1 export fails loudly (naming the line and byte)
 * instead of turning accents into U+FFFD silently. Other encodings go through TextDecoder.
 * @example
 * const text = decodeText(bytes, 'data.csv');            // strict UTF-8, BOM dropped
 * const legacy = decodeText(bytes, 'old.csv', 'latin1');
 */
export function decodeText(bytes: Uint8Array, file: string, encoding = 'utf-8'): string {
  if (!UTF8.has(encoding.toLowerCase())) {
    let decoder: { decode(bytes: Uint8Array): string; encoding: string };
    try {
      decoder = new TextDecoder(encoding);
    } catch (err) {
      throw badFile(file, undefined, `unknown encoding '${encoding}'`, "Use a WHATWG encoding label such as 'utf-8', 'latin1' or 'windows-1252'", err);
    }
    // Checked before decoding: past the string limit Node's single-byte decoders abort the process.
    const units = /^utf-16/.test(decoder.encoding) ? bytes.length / 2 : bytes.length;
    if (units > MAX_STRING_LENGTH) throw tooLongForText(file, bytes.length);
    return decoder.decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') throw tooLongForText(file, bytes.length, err);
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) { line++; lineStart = i + 1; }
    const hex = bytes[at]?.toString(16).padStart(2, '0') ?? '??';
    throw badFile(file, line,
      `not valid UTF-8: byte 0x${hex} at byte ${at - lineStart + 1} of line ${line} (file offset ${at}); the file is probably in another encoding such as Windows-1252 or Latin-1`,
      `Convert it to UTF-8 (e.g. \`iconv -f WINDOWS-1252 -t UTF-8 ${file} > fixed.csv\`, or "Save as CSV UTF-8" in a spreadsheet), or set the encoding param (e.g. encoding: 'windows-1252')`,
      err);
  }
}

/** Text formats are parsed from one JavaScript string, and V8 caps a string at about 512 Mi characters. */
function tooLongForText(file: string, size: number, cause?: unknown): DataError {
  return badFile(file, undefined,
    `file is ${formatBytes(size)}: too large to read as text (CSV, TSV, JSON and NDJSON are parsed from one string, and this JavaScript engine caps a string at ${formatBytes(MAX_STRING_LENGTH)} of characters)`,
    'Convert it to Parquet or Arrow (read without a string), or split it', cause);
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (-1 when all are valid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= b.length) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      if ((x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    // Overlong forms and UTF-16 surrogates are invalid even when well-formed bit-wise.
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * The `path` param every file loader takes (its content is part of the node's cache key).
 * @example
 * params: Type.Object({ path: pathParam() })
 */
export function pathParam() {
  return Type.String({ minLength: 1, description: 'File to read, relative to the working directory.' });
}
