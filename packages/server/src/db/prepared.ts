import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Executor } from './database.js';
import type { DB } from './schema.js';

const SLOT = '\u0000porter-slot:';
const STAND_INS = Array.from({ length: 16 }, (_, i) => `${SLOT}${i}`);

interface Compiled<O> {
  query: CompiledQuery<O>;
  /** For each bound parameter, the argument it takes, or undefined for a constant of the query. */
  slots: (number | undefined)[];
}

/**
 * A hot query built and compiled once per database (in its dialect's SQL), then run with new
 * values. Building and compiling a Kysely query costs more CPU than SQLite's own work on the
 * install flow's statements (about 15 µs against a few); these run several times per install.
 * `build` gets stand-ins for the arguments and must use each only as a bound value: never in an
 * `in (…)` list of varying length, as an identifier, or in a computation done in JavaScript.
 */
export function prepared<A extends readonly unknown[], O>(
  build: (db: Kysely<DB>, args: A) => Compilable<O>,
): (db: Executor, ...args: A) => Promise<QueryResult<O>> {
  const compiled = new WeakMap<object, Compiled<O>>();
  return (db, ...args) => {
    // The adapter is the dialect's, shared by a database and its transactions.
    const dialect = db.getExecutor().adapter;
    let entry = compiled.get(dialect);
    if (entry === undefined) {
      const query = build(db, STAND_INS as unknown as A).compile();
      const slots = query.parameters.map((p) =>
        typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : undefined,
      );
      entry = { query, slots };
      compiled.set(dialect, entry);
    }
    const { query, slots } = entry;
    const parameters = slots.map((slot, i) => (slot === undefined ? query.parameters[i] : args[slot]));
    return db.executeQuery<O>({ ...query, parameters });
  };
}

/**
 * A prepared insert of whole rows into `table`, its columns in this order (every column of the
 * row type, so nothing falls back to a default the caller did not choose).
 */
export function preparedInsert<T extends keyof DB & string>(
  table: T,
  columns: readonly (keyof DB[T] & string)[],
): (db: Executor, row: { [C in keyof DB[T]]: unknown }) => Promise<QueryResult<unknown>> {
  const run = prepared((db, args: unknown[]) =>
    db.insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, args[i]])) as never),
  );
  return (db, row) => run(db, ...columns.map((c) => row[c] ?? null));
}
