/**
 * Opens the store's SQLite file: for writing (schema migrated, dead runs marked interrupted) when it
 * can be written, else for reading when the caller allows it. Which one is decided by trying, not by
 * permission bits: root ignores them, and a read-only mount shows only when a write is attempted.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { MlcycleError } from '../errors.ts';
import { migrate, migrations } from './migrations.ts';
import { openDatabase, openDatabaseReadOnly } from './open-database.ts';
import { isReadOnlyError, readOnlyReason, readOnlyStoreError } from './store-errors.ts';

/** `true`: read only; `false`: writable or an error; `'auto'`: writable when possible, else read only. */
export type ReadOnlyMode = boolean | 'auto';

export interface OpenedStoreFile {
  sqlite: BetterSqlite3.Database;
  /** Why the store is read-only (undefined when writable). */
  readOnly?: string;
}

/**
 * @example
 * const { sqlite, readOnly } = openStoreFile('/ws/mlcycle.db', 'auto');
 */
export function openStoreFile(file: string, mode: ReadOnlyMode): OpenedStoreFile {
  if (mode === true) return { sqlite: readOnlyOpen(file), readOnly: 'opened read-only' };
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = openDatabase(file);
    migrate(sqlite, file);
    return { sqlite };
  } catch (err) {
    sqlite?.close();
    // Only a store that really cannot be written falls back (a damaged file must not read as read-only).
    const reason = whyNotWritable(file) ?? (isReadOnlyError(err) ? readOnlyReason(err) : undefined);
    if (reason === undefined) {
      if (err instanceof MlcycleError) throw err;
      throw new MlcycleError(
        `openRunStore: cannot set up the schema of run store '${file}': ${(err as Error).message}. ` +
          'If another mlcycle holds the file for long, retry when it is done.',
        { cause: err },
      );
    }
    if (mode === false || !existsSync(file)) throw readOnlyStoreError(file, reason, { cause: err });
    return { sqlite: readOnlyOpen(file), readOnly: reason };
  }
}

function readOnlyOpen(file: string): BetterSqlite3.Database {
  const sqlite = openDatabaseReadOnly(file);
  const version = sqlite.pragma('user_version', { simple: true }) as number;
  if (version !== migrations.length) {
    sqlite.close();
    throw new MlcycleError(
      version > migrations.length
        ? `openRunStore: run store '${file}' has schema version ${version}, newer than this mlcycle knows ` +
            `(${migrations.length}); upgrade mlcycle, or point --home at another workspace`
        : `openRunStore: run store '${file}' has schema version ${version}, older than this mlcycle's ` +
            `(${migrations.length}), and is read-only so it cannot be upgraded: make it writable once (any command upgrades it)`,
    );
  }
  return sqlite;
}

/** The first of the file, its -wal and -shm companions and its folder that cannot be written, and why. */
function whyNotWritable(file: string): string | undefined {
  for (const path of [dirname(file), file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    const code = writable(path);
    if (code === 'EROFS') return 'it is on a read-only file system';
    if (code) return `this user may not write ${path} (${code})`;
  }
  return undefined;
}

function writable(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}
