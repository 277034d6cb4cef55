/**
 * JSON from a bundle file, parsed without ever putting the file's text into an error. Node 20's
 * JSON.parse messages quote the text around the fault ("Unexpected token 'r', "root:x:0:0"... is not
 * valid JSON"), which echoed /etc/passwd when a bundle file was a link to it; here a failure says
 * only where (line and column), never what.
 */

import { locateJsonError } from '../json-error.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A parse result: the value, or a sentence saying what is wrong and where (no file content). */
export type JsonResult = { ok: true; value: unknown } | { ok: false; why: string };

/**
 * Decodes `bytes` as strict UTF-8 (a BOM is allowed) and parses them as JSON.
 * @example
 * const r = parseJsonBytes(new TextEncoder().encode('{"a": tru}'));
 * r.ok ? r.value : r.why // 'is not valid JSON (syntax error at line 1, column 10)'
 */
export function parseJsonBytes(bytes: Uint8Array): JsonResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, why: 'is not valid UTF-8 text' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    // The place only: V8's reason can quote the text (a token of /etc/passwd), so it is not used.
    const { offset, line, column } = locateJsonError(text, err as Error);
    const what = offset >= text.trimEnd().length ? 'it ends early' : 'syntax error';
    return { ok: false, why: `is not valid JSON (${what} at line ${line}, column ${column})` };
  }
}
