import { mkdirSync } from 'node:fs';
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
