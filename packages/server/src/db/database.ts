import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;
/** What a repository function takes first: the database or a transaction a service opened. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Opens a connection pool for the configured dialect. */
export function openDatabase(target: DatabaseTarget): Database {
  if (target.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    // An idle connection can die (server restart, failover, an administrator); the pool drops
    // it and opens a new one when needed. Without this listener the process would crash.
    pool.on('error', (err) =>
      process.stderr.write(`porter: idle database connection lost: ${err.message}\n`),
    );
    return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  const sqlite = new SQLite(target.path);
  // WAL lets the CLI write while a server reads; busy_timeout waits out the other's write lock.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  // More of the database in memory: reads skip the page cache misses of the default 2 MB.
  sqlite.pragma('cache_size = -32000');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoints once a second from a worker thread (checkpointer.ts), instead of inside
  // whichever commit crosses 1000 pages: a page written many times reaches the database file
  // once, no request waits for the checkpoint's fsync (it cost a sixth of an install's SQLite
  // time), and the copying runs on another core. The WAL file is cut back to 64 MB after each.
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma('journal_size_limit = 67108864');
  const checkpointer = target.path === ':memory:' ? undefined : startCheckpointer(sqlite, target.path);
  return new Kysely<DB>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, checkpointer) }),
  });
}

/** The checkpoint the worker's pass left almost done: the last frames, on this connection. */
function finishCheckpoint(sqlite: SQLite.Database): void {
  if (!sqlite.open || sqlite.inTransaction) return;
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy: the next second tries again.
  }
}

function startCheckpointer(sqlite: SQLite.Database, path: string): Worker {
  // Compiled, the worker is checkpointer.js next to this file. Run from source (the tests,
  // through tsx) it is checkpointer.ts, imported after registering tsx in the worker: Node 20
  // gives a worker none of its parent's module hooks.
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fromSource
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./checkpointer.ts', import.meta.url).href)}); })`
    : new URL('./checkpointer.js', import.meta.url);
  const worker = new Worker(entry, { eval: fromSource, workerData: { path, intervalMs: 1000 } });
  worker.unref();
  worker.on('message', () => finishCheckpoint(sqlite));
  // A checkpointer that fails leaves the WAL to grow until the next start; requests go on.
  worker.on('error', (err) => process.stderr.write(`porter: SQLite checkpointer stopped: ${err.message}\n`));
  return worker;
}

/**
 * The SQLite database with its prepared statements kept: Kysely prepares every query anew, and
 * preparing cost a tenth of an install's CPU. Kysely runs one query at a time on this
 * connection, so a statement is never used twice at once. Queries are few and fixed in shape
 * (parameters are bound, never inlined), so the cache stays small; it is bounded all the same.
 */
function withStatementCache(sqlite: SQLite.Database, checkpointer?: Worker): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      checkpointer?.postMessage('close');
      // A worker still starting may then find the database gone (a test's removed directory):
      // nothing is left for it to checkpoint, so that is not reported.
      checkpointer?.removeAllListeners('error').on('error', () => undefined);
      sqlite.close();
    },
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= 1000) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
