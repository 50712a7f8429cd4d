import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { main } from '../main.js';
import type { Command } from './command.js';
import { printResult } from './output.js';

/** `porter start` and `porter migrate`. */
export const serverCommands: Command[] = [
  {
    words: ['start'],
    summary: 'Start the Porter server (configured by environment variables; see the README).',
    options: {},
    async run({ env }) {
      await main(env);
      await new Promise(() => {}); // serve until a signal stops the process
    },
  },
  {
    words: ['migrate'],
    summary: 'Apply pending database migrations to the database named by DATABASE_URL.',
    options: {},
    async run({ json, env, io }) {
      const config = loadConfig(env);
      const db = openDatabase(config.database);
      try {
        const applied = await migrateToLatest(db);
        printResult(
          io,
          json,
          { applied },
          applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.',
        );
      } finally {
        await db.destroy();
      }
    },
  },
];
