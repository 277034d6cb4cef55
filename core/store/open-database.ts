import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MlcycleError } from '../errors.ts';

/** How long a writer waits for another process's lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its folders if needed) a SQLite file set up for several processes:
 * WAL lets readers and one writer proceed together, `busy_timeout` makes a second writer wait
 * instead of failing at once, and `synchronous=NORMAL` is durable enough under WAL (a power cut may
 * lose the last commits, never corrupt the file) while keeping commits free of fsyncs.
 * @example
 * const sqlite = openDatabase('/tmp/ws/.mlcycle/mlcycle.db');
 */
export function openDatabase(file: string): Database.Database {
  let sqlite: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file);
    // busy_timeout first: switching to WAL itself needs a lock another process may hold.
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // Reads on the per-node hot path (cache lookups) skip a copy through the page cache.
    sqlite.pragma('mmap_size = 268435456');
    return sqlite;
  } catch (err) {
    sqlite?.close();
    throw new MlcycleError(
      `openRunStore: cannot open run store '${file}': ${(err as Error).message}. ` +
        'Check that the folder is writable and the file is an mlcycle SQLite database (or remove it to start afresh).',
      { cause: err },
    );
  }
}

/**
 * Opens an existing store for reading only: no folder is created, nothing is ever written. A WAL
 * database cannot be opened in place where its `-shm` file is missing (as a clean close leaves it)
 * and cannot be created (a read-only file system, a folder this user may not write): its bytes are
 * then read into memory, marked as a rollback-journal database (header bytes 18–19), and opened
 * from there. On a read-only file system nobody can be writing, so that copy is consistent; commits
 * still in a `-wal` file (a writer that crashed) are not seen.
 * @example
 * const sqlite = openDatabaseReadOnly('/mnt/ro/.mlcycle/mlcycle.db');
 */
export function openDatabaseReadOnly(file: string): Database.Database {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Opening is lazy: this read is what fails when the -shm file cannot be created.
    sqlite.pragma('user_version', { simple: true });
    return sqlite;
  } catch (err) {
    sqlite?.close();
    const code = String((err as { code?: unknown }).code);
    if (!(code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY')) || !existsSync(file)) {
      throw new MlcycleError(`openRunStore: cannot open run store '${file}' for reading: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    const bytes = readFileSync(file);
    if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
    return new Database(bytes, { readonly: true });
  } catch (err) {
    throw new MlcycleError(`openRunStore: cannot read run store '${file}': ${(err as Error).message}`, { cause: err });
  }
}
