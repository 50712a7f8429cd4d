import type { Kysely, Migration } from 'kysely';

// Credential hygiene (issue 16 item 5): a regenerated client secret may keep the previous one
// valid for a chosen window, and every credential records when it was last used (written at
// most once a minute per credential by usage/last-used.ts, never per request). Times are ISO
// UTC text, as elsewhere, so `max(existing, new)` is a string comparison on both dialects.
export const credentialHygiene: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('apps').addColumn('previous_client_secret_hash', 'text').execute();
    await db.schema.alterTable('apps').addColumn('previous_secret_expires_at', 'text').execute();
    await db.schema.alterTable('apps').addColumn('client_secret_last_used_at', 'text').execute();
    await db.schema.alterTable('apps').addColumn('previous_secret_last_used_at', 'text').execute();
    await db.schema.alterTable('tokens').addColumn('last_used_at', 'text').execute();
    // The last-used flush finds an app by either of its secrets' hashes.
    await db.schema
      .createIndex('apps_previous_client_secret_idx')
      .on('apps')
      .column('previous_client_secret_hash')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('apps_previous_client_secret_idx').execute();
    await db.schema.alterTable('tokens').dropColumn('last_used_at').execute();
    for (const column of [
      'previous_secret_last_used_at',
      'client_secret_last_used_at',
      'previous_secret_expires_at',
      'previous_client_secret_hash',
    ])
      await db.schema.alterTable('apps').dropColumn(column).execute();
  },
};
