/**
 * The model registry's records (migration 5) in the run store's file, on a connection of its own as
 * study-store.ts does. A version row is written only after its folder is in place, in the same
 * immediate transaction that chose its number: a process killed before the commit leaves no row, and
 * the folder it may have renamed into place is cleared by the next register of that number.
 * Alias moves are appended to model_alias_history and never updated or deleted.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { MlcycleError, ValidationError } from '../errors.ts';
import { openStoreFile } from '../store/open-store-file.ts';
import { writeFailureHint } from '../store/store-errors.ts';
import { checkAlias, checkModelName, checkTagKey } from './names.ts';

/** One registered version of a model. */
export interface ModelVersionRecord {
  name: string;
  version: number;
  /** sha256 of the registered manifest.json: loading the version demands exactly this manifest. */
  manifestSha256: string;
  /** Where it was registered from (the bundle folder given). */
  source: string;
  /** Run id, DAG, params, data digest, metrics… as read from the bundle's manifest. */
  lineage: Record<string, unknown>;
  registeredAt: number;
  registeredBy: string;
  why: string | null;
  /** Aliases pointing at this version now. */
  aliases: string[];
  tags: Record<string, string>;
}

/** One alias move, as kept forever in the history. */
export interface AliasMove {
  name: string;
  alias: string;
  /** The version the alias pointed at before; null when it was created. */
  from: number | null;
  to: number;
  by: string;
  why: string | null;
  at: number;
}

/** A model in `list()`. */
export interface ModelSummary {
  name: string;
  versions: number;
  latest: number;
  aliases: Record<string, number>;
  /** When its newest version was registered. */
  updatedAt: number;
}

/** What a new version row records (its number is chosen by addVersion). */
export interface NewVersion {
  manifestSha256: string;
  source: string;
  lineage: Record<string, unknown>;
  by: string;
  why?: string | null;
}

export interface ModelStore {
  readonly file: string;
  /**
   * Chooses the next version number, calls `place(version)` (which must put the version's folder in
   * place, synchronously) and records the row, all under one write lock; if `place` throws, nothing is recorded.
   */
  addVersion(name: string, place: (version: number) => void, row: NewVersion): ModelVersionRecord;
  list(): ModelSummary[];
  /** Oldest first; [] for an unknown model. */
  versions(name: string): ModelVersionRecord[];
  getVersion(name: string, version: number): ModelVersionRecord | undefined;
  /** Alias → version. */
  aliases(name: string): Record<string, number>;
  /** ValidationError naming the model/version when either is unknown. */
  setAlias(name: string, alias: string, version: number, by: { by: string; why?: string | null }): AliasMove;
  /** Oldest first. */
  history(name: string): AliasMove[];
  setTag(name: string, version: number, key: string, value: string): void;
  close(): void;
}

interface VersionRow {
  name: string; version: number; manifest_sha256: string; source: string; lineage: string;
  registered_at: number; registered_by: string; why: string | null;
}
interface HistoryRow { name: string; alias: string; from_version: number | null; to_version: number; by: string; why: string | null; at: number }

/**
 * Opens the registry records of the run store in `file` (creating and migrating it as the run store does).
 * @example
 * const store = openModelStore('.mlcycle/mlcycle.db');
 * const v = store.addVersion('penguins', (n) => renameSync(tmp, `.mlcycle/models/penguins/${n}`), { manifestSha256, source, lineage, by: 'ana' });
 * store.setAlias('penguins', 'champion', v.version, { by: 'ana', why: 'best CV accuracy' });
 * store.close();
 */
export function openModelStore(file: string): ModelStore {
  const { sqlite } = openStoreFile(file, false);
  const q = prepare(sqlite);
  let closed = false;
  const write = <T>(method: string, body: () => T): T => {
    if (closed) throw new MlcycleError(`ModelStore.${method}: model store '${file}' is closed; open it again`);
    try {
      return sqlite.transaction(body).immediate();
    } catch (err) {
      if (err instanceof MlcycleError) throw err;
      throw new MlcycleError(`ModelStore.${method}: could not write to '${file}': ${(err as Error).message}. ${writeFailureHint(err)}`, { cause: err });
    }
  };
  const record = (row: VersionRow): ModelVersionRecord => ({
    name: row.name, version: row.version, manifestSha256: row.manifest_sha256, source: row.source,
    lineage: JSON.parse(row.lineage) as Record<string, unknown>, registeredAt: row.registered_at,
    registeredBy: row.registered_by, why: row.why,
    aliases: (q.aliasesOf.all(row.name, row.version) as Array<{ alias: string }>).map((a) => a.alias),
    tags: Object.fromEntries((q.tagsOf.all(row.name, row.version) as Array<{ key: string; value: string }>).map((t) => [t.key, t.value])),
  });
  const requireVersion = (name: string, version: number): VersionRow => {
    const row = q.version.get(name, version) as VersionRow | undefined;
    if (row) return row;
    const known = (q.versions.all(name) as VersionRow[]).map((r) => r.version);
    throw new ValidationError(known.length
      ? `model '${name}' has no version ${version} (versions: ${known.join(', ')}); see mlcycle models show ${name}`
      : `no model named '${name}' is registered; see mlcycle models ls, or register one with mlcycle models register <bundle> --name ${name}`);
  };

  return {
    file,
    addVersion(name, place, row) {
      checkModelName(name);
      return write('addVersion', () => {
        const version = ((q.latest.get(name) as { v: number | null }).v ?? 0) + 1;
        place(version);
        q.insertVersion.run(name, version, row.manifestSha256, row.source, JSON.stringify(row.lineage), Date.now(), row.by, row.why ?? null);
        return record(q.version.get(name, version) as VersionRow);
      });
    },
    list() {
      const rows = q.models.all() as Array<{ name: string; versions: number; latest: number; updated_at: number }>;
      return rows.map((r) => ({ name: r.name, versions: r.versions, latest: r.latest, updatedAt: r.updated_at, aliases: this.aliases(r.name) }));
    },
    versions: (name) => (q.versions.all(name) as VersionRow[]).map(record),
    getVersion(name, version) {
      const row = q.version.get(name, version) as VersionRow | undefined;
      return row && record(row);
    },
    aliases: (name) => Object.fromEntries((q.aliases.all(name) as Array<{ alias: string; version: number }>).map((a) => [a.alias, a.version])),
    setAlias(name, alias, version, who) {
      checkModelName(name);
      checkAlias(alias);
      return write('setAlias', () => {
        requireVersion(name, version);
        const before = q.alias.get(name, alias) as { version: number } | undefined;
        const move: AliasMove = { name, alias, from: before?.version ?? null, to: version, by: who.by, why: who.why ?? null, at: Date.now() };
        q.upsertAlias.run(name, alias, version);
        q.insertHistory.run(name, alias, move.from, move.to, move.by, move.why, move.at);
        return move;
      });
    },
    history: (name) => (q.history.all(name) as HistoryRow[]).map((h) => ({
      name: h.name, alias: h.alias, from: h.from_version, to: h.to_version, by: h.by, why: h.why, at: h.at,
    })),
    setTag(name, version, key, value) {
      checkTagKey(key);
      write('setTag', () => {
        requireVersion(name, version);
        q.upsertTag.run(name, version, key, value);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      sqlite.close();
    },
  };
}

function prepare(sqlite: BetterSqlite3.Database) {
  return {
    latest: sqlite.prepare('select max(version) as v from model_versions where name = ?'),
    insertVersion: sqlite.prepare(`insert into model_versions (name, version, manifest_sha256, source, lineage, registered_at, registered_by, why)
      values (?, ?, ?, ?, ?, ?, ?, ?)`),
    version: sqlite.prepare('select * from model_versions where name = ? and version = ?'),
    versions: sqlite.prepare('select * from model_versions where name = ? order by version'),
    models: sqlite.prepare(`select name, count(*) as versions, max(version) as latest, max(registered_at) as updated_at
      from model_versions group by name order by name`),
    aliases: sqlite.prepare('select alias, version from model_aliases where name = ? order by alias'),
    aliasesOf: sqlite.prepare('select alias from model_aliases where name = ? and version = ? order by alias'),
    alias: sqlite.prepare('select version from model_aliases where name = ? and alias = ?'),
    upsertAlias: sqlite.prepare(`insert into model_aliases (name, alias, version) values (?, ?, ?)
      on conflict (name, alias) do update set version = excluded.version`),
    insertHistory: sqlite.prepare(`insert into model_alias_history (name, alias, from_version, to_version, by, why, at)
      values (?, ?, ?, ?, ?, ?, ?)`),
    history: sqlite.prepare('select * from model_alias_history where name = ? order by seq'),
    tagsOf: sqlite.prepare('select key, value from model_tags where name = ? and version = ? order by key'),
    upsertTag: sqlite.prepare(`insert into model_tags (name, version, key, value) values (?, ?, ?, ?)
      on conflict (name, version, key) do update set value = excluded.value`),
  };
}
