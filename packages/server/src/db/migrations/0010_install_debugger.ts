import type { Kysely, Migration } from 'kysely';

// The install debugger: an app's recent failed authorization requests and token exchanges, each
// a cause (a kind and safe facts, JSON) — never a code, secret, verifier or query string.
// Bounded per app on insert and purged after seven days. The API's daily counts gain their
// client and server errors, for the portal's chart of calls by status class.
export const installDebugger: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('install_failures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('install_failures_app_idx')
      .on('install_failures')
      .columns(['app_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('install_failures_created_idx')
      .on('install_failures')
      .column('created_at')
      .execute();
    // "Which app is this secret of?" is asked only when client authentication fails.
    await db.schema.createIndex('apps_client_secret_idx').on('apps').column('client_secret_hash').execute();
    await db.schema
      .alterTable('api_usage_daily')
      .addColumn('calls_4xx', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('api_usage_daily')
      .addColumn('calls_5xx', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('api_usage_daily').dropColumn('calls_5xx').execute();
    await db.schema.alterTable('api_usage_daily').dropColumn('calls_4xx').execute();
    await db.schema.dropIndex('apps_client_secret_idx').execute();
    await db.schema.dropTable('install_failures').execute();
  },
};
