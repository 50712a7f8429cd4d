import { type Kysely, type Migration, sql } from 'kysely';

// An app has at most one live API key: the database refuses a second, whatever races happen
// above it (the service also serialises changes to one app by locking its row).
export const oneLiveApiKey: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('tokens_one_live_api_key')
      .on('tokens')
      .column('app_id')
      .unique()
      .where(sql.ref('kind'), '=', sql.lit('api_key'))
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('tokens_one_live_api_key').execute();
  },
};
