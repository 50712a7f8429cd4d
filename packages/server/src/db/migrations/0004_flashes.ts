import type { Kysely, Migration } from 'kysely';

// One-time messages carried across a Post/Redirect/Get: a notice, the errors and typed values
// of a refused form, or a new secret to show once. The payload is encrypted with a key only the
// browser's flash cookie holds; the row is deleted when the page it was meant for shows it.
export const flashes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('flashes')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('session_hash', 'text')
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flashes_expires_idx').on('flashes').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('flashes').execute();
  },
};
