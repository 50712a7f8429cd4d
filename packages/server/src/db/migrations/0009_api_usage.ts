import type { Kysely, Migration } from 'kysely';

// API calls per app, per company, per UTC day: the developer portal's charts read it. Porter
// adds to a row every few seconds from counts kept in memory, never once per request.
export const apiUsage: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('api_usage_daily')
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('api_usage_daily_pk', ['app_id', 'company_id', 'day'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('api_usage_daily').execute();
  },
};
