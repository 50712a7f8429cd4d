import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config.js';
import { randomBase32 } from '../../src/lib/ids.js';

/** A fresh, empty database for one test file: its target, its DATABASE_URL, and how to drop it. */
export interface TestDatabase {
  target: DatabaseTarget;
  url: string;
  drop(): Promise<void>;
}

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

// The suite always runs on SQLite; on PostgreSQL too when DATABASE_URL names a server
// (scripts/test.mjs says loudly when it does not).
const adminUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL
  : undefined;

const sqlite: TestDialect = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'porter-test-'));
    const path = join(dir, 'porter.db');
    return {
      target: { dialect: 'sqlite', path },
      url: `file:${path}`,
      // The WAL checkpointer's worker closes its connection just after the database closes
      // (db/database.ts does not wait for it), which may touch -wal/-shm files while the
      // directory is removed: ENOTEMPTY, retried.
      drop: async () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }),
    };
  },
};

const postgres: TestDialect = {
  name: 'postgres',
  async create() {
    const name = `porter_t_${randomBase32(8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl ?? '');
    url.pathname = `/${name}`;
    return {
      target: { dialect: 'postgres', url: url.toString() },
      url: url.toString(),
      async drop() {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  },
};

export const dialects: TestDialect[] = adminUrl ? [sqlite, postgres] : [sqlite];

/** Runs `suite` once per dialect, like kysely's dialect loop: same tests, every database. */
export function forEachDialect(title: string, suite: (dialect: TestDialect) => void) {
  for (const dialect of dialects) {
    describe(`${title} [${dialect.name}]`, () => suite(dialect));
  }
}
