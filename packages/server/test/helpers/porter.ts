import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildServices, type Services } from '../../src/services.js';
import { createLogger } from '../../src/web/logging.js';
import type { TestDatabase, TestDialect } from './dialects.js';

/** A real Porter server on a free port over a fresh database, with its log lines captured. */
export interface TestPorter {
  url: string;
  config: Config;
  db: Database;
  database: TestDatabase;
  services: Services;
  app: FastifyInstance;
  logs: string[];
  /** Stops the server and closes its database, which stays for another server (a restart). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts Porter the way main.ts does, with `env` on top of a quiet test configuration, over a
 * fresh database or over `reuse` (another server's, stopped: a restart).
 */
export async function startPorter(
  dialect: TestDialect,
  env: Record<string, string> = {},
  reuse?: TestDatabase,
): Promise<TestPorter> {
  const database = reuse ?? (await dialect.create());
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    PORTER_PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'info',
    ...env,
  });
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // One object graph, as main.ts builds it: the tests' services are the server's own.
  const logger = createLogger(config.logLevel, logStream);
  const services = buildServices(config, db, logger.log);
  const app = await buildApp({ config, db, services, logger });
  await app.listen({ port, host: '127.0.0.1' });
  const stop = async () => {
    await app.close();
    await services.mail.idle();
    await db.destroy();
  };
  return {
    url: config.publicUrl,
    config,
    db,
    database,
    services,
    app,
    logs,
    stop,
    async close() {
      await stop();
      await database.drop();
    },
  };
}

let counter = 0;

/** A user with a known password and an owned company, made through the services. */
export async function makeUser(porter: TestPorter, opts: { company?: string; isTest?: boolean } = {}) {
  counter += 1;
  const email = `user${counter}-${Date.now()}@example.test`;
  const password = 'correct horse battery';
  const user = await porter.services.accounts.createUser({ email, password, name: `User ${counter}` });
  const company = await porter.services.accounts.createOwnedCompany(user.id, {
    name: opts.company ?? `Company ${counter}`,
    isTest: opts.isTest ?? false,
  });
  return { user, email, password, company };
}
