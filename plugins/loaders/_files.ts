import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DataError, Type } from '../../core/index.ts';

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
 * Reads a data file whole. Missing, unreadable and empty files fail at once (retrying cannot fix
 * them); other I/O errors (EMFILE, EBUSY) stay retryable.
 * @example
 * const bytes = await readDataFile('data/penguins.csv');
 */
export async function readDataFile(file: string): Promise<Uint8Array> {
  const abs = resolveDataPath(file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    throw explainFsError(err, file, abs);
  }
  if (bytes.byteLength === 0) throw badFile(file, undefined, 'file is empty (0 bytes)', 'Check that the export that wrote it finished');
  return bytes;
}

/**
 * The checks of readDataFile without reading the content, for files a library opens itself (SQLite).
 * @example
 * await checkDataFile('shop.db');
 */
export async function checkDataFile(file: string): Promise<void> {
  const abs = resolveDataPath(file);
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    throw explainFsError(err, file, abs);
  }
  if (info.isDirectory()) throw explainFsError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), file, abs);
  if (info.size === 0) throw badFile(file, undefined, 'file is empty (0 bytes)', 'Check that the export that wrote it finished');
}

function explainFsError(err: unknown, file: string, abs: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return badFile(file, undefined, `file not found (looked for ${abs}; cwd is ${process.cwd()})`,
      'Check the spelling, or give a path relative to the directory you run mlcycle from', err);
  }
  if (code === 'EISDIR') return badFile(file, undefined, `is a directory (${abs}), not a file`, 'Point path at a file inside it', err);
  if (code === 'EACCES' || code === 'EPERM') {
    return badFile(file, undefined, `permission denied reading ${abs}`, 'Make the file readable by this user', err);
  }
  return err;
}

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
    let decoder: { decode(bytes: Uint8Array): string };
    try {
      decoder = new TextDecoder(encoding);
    } catch (err) {
      throw badFile(file, undefined, `unknown encoding '${encoding}'`, "Use a WHATWG encoding label such as 'utf-8', 'latin1' or 'windows-1252'", err);
    }
    return decoder.decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
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
