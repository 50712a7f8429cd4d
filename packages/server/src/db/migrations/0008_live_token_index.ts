import { type Kysely, type Migration, sql } from 'kysely';

// An installation has at most one live token, but re-authorizing it leaves every earlier token
// behind, revoked. The index that finds "the installation's live tokens" must not walk those:
// it holds live tokens only, so revoking on re-authorization or uninstall stays one index probe
// however often the installation was re-authorized.
export const liveTokenIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('tokens_installation_idx').execute();
    await db.schema
      .createIndex('tokens_installation_live_idx')
      .on('tokens')
      .column('installation_id')
      .where(sql.ref('installation_id'), 'is not', null)
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('tokens_installation_live_idx').execute();
    await db.schema
      .createIndex('tokens_installation_idx')
      .on('tokens')
      .column('installation_id')
      .where(sql.ref('installation_id'), 'is not', null)
      .execute();
  },
};
