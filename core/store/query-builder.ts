/**
 * Kysely as a compiler only. The engine records events on its hot path, so execution must be
 * synchronous: kysely builds and type-checks the SQL once, better-sqlite3 runs the compiled text as a
 * cached prepared statement. Arguments are bound by name through "slots": placeholder values that
 * kysely compiles into positional parameters, which `prepareQuery` maps back to names.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable } from 'kysely';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { StoreDb } from './schema.ts';

/**
 * A connection-less kysely: it compiles SQLite SQL and never executes anything (`DummyDriver`).
 * @example
 * const { sql, parameters } = sqliteBuilder.selectFrom('runs').selectAll().compile();
 */
export const sqliteBuilder = new Kysely<StoreDb>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** Stands in for a named argument while kysely compiles; identity (not value) marks it. */
class Slot {
  constructor(readonly name: string) {}
}

/** Named arguments of a query: an object type (interfaces included, hence not a Record). */
export type QueryArgs = object;

/** A compiled query bound to a prepared statement; arguments are passed by name. */
export interface PreparedQuery<A extends QueryArgs, R> {
  readonly sql: string;
  /** Runs a statement that returns no rows. */
  run(args: A): void;
  all(args: A): R[];
  get(args: A): R | undefined;
}

/**
 * Compiles `build` once with kysely and prepares it with better-sqlite3. `build` receives an object
 * whose properties are placeholders for the named arguments: use them where values go. Pass
 * `columns` (every key of `A`, checked by the compiler) when `build` must enumerate the arguments,
 * as `insertInto(t).values(args)` does.
 * @example
 * const byId = prepareQuery<{ id: string }, RunsTable>(db, (a) =>
 *   sqliteBuilder.selectFrom('runs').selectAll().where('id', '=', a.id));
 * byId.get({ id: '01J…' });
 */
export function prepareQuery<A extends QueryArgs, R = unknown>(
  sqlite: BetterSqlite3.Database,
  build: (args: A) => Compilable<R>,
  columns?: Record<keyof A, true>,
): PreparedQuery<A, R> {
  const slots = (columns
    ? Object.fromEntries(Object.keys(columns).map((name) => [name, new Slot(name)]))
    : new Proxy({}, { get: (_target, name) => new Slot(String(name)) })) as A;
  const compiled = build(slots).compile();
  // Each positional parameter is either a slot (read from the call's args) or a constant of the query.
  const binders = compiled.parameters.map((p) =>
    p instanceof Slot ? (args: A) => (args as Record<string, unknown>)[p.name] ?? null : () => p,
  );
  const bind = (args: A): unknown[] => binders.map((b) => b(args));
  const statement = sqlite.prepare(compiled.sql);
  return {
    sql: compiled.sql,
    run: (args) => void statement.run(bind(args)),
    all: (args) => statement.all(bind(args)) as R[],
    get: (args) => statement.get(bind(args)) as R | undefined,
  };
}
