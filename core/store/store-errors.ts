/**
 * What a failed SQLite or file-system call on the run store means for the user, so that messages
 * name the real cause (a full disk, a read-only folder) instead of one generic hint.
 */
import { ValidationError } from '../errors.ts';

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_PERM']);

/** The error's code, looking through one level of `cause` (openDatabase wraps what it catches). */
function codeOf(err: unknown): string {
  const own = (err as { code?: unknown } | null)?.code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  for (const c of [cause, own]) if (typeof c === 'string' && (c.startsWith('SQLITE_') || c.startsWith('E'))) return c;
  return '';
}

/**
 * True when `err` says the store cannot be written (read-only file system, no permission), the
 * cases where a read-only open may still work.
 * @example
 * isReadOnlyError(Object.assign(new Error('x'), { code: 'SQLITE_READONLY' })); // true
 */
export function isReadOnlyError(err: unknown): boolean {
  const code = codeOf(err);
  return code.startsWith('SQLITE_READONLY') || READ_ONLY_CODES.has(code);
}

/**
 * A hint for a failed write, by cause: what the user should do.
 * @example
 * writeFailureHint(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
 */
export function writeFailureHint(err: unknown): string {
  const code = codeOf(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'The disk holding it is full: free space, then re-run (completed nodes are cache hits).';
  if (isReadOnlyError(err)) return 'It cannot be written (read-only or no permission): point --home at a writable folder.';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'Another process holds the database: retry when it is done.';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'The file is damaged: move it aside to start a fresh store.';
  return 'If another process holds the database for long, retry; if the file is damaged, move it aside.';
}

/**
 * The error a write to a read-only store throws: a user's setup to fix, so a ValidationError
 * (CLI exit 2), naming the store and what still works.
 * @example
 * throw readOnlyStoreError('/ws/mlcycle.db', 'read-only file system');
 */
export function readOnlyStoreError(file: string, reason: string, options?: { cause?: unknown }): ValidationError {
  return new ValidationError(
    `the workspace store ${file} is read-only: ${reason}. Commands that only read (runs ls, runs show, plan, graph) ` +
      'still work; to run, make the folder and the file writable, or point --home at a writable workspace.',
    options,
  );
}

/**
 * Why a store cannot be written, in words, from the error that said so.
 * @example
 * readOnlyReason(Object.assign(new Error(), { code: 'EROFS' })); // 'its folder is on a read-only file system'
 */
export function readOnlyReason(err: unknown): string {
  const code = codeOf(err);
  if (code === 'EROFS') return 'it is on a read-only file system';
  if (code.startsWith('SQLITE_READONLY')) return 'SQLite may not write it';
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM') return 'this user may not write it or its folder';
  return (err as Error)?.message ?? String(err);
}
