import { type Kysely, type Migration, sql } from 'kysely';

// The authorization server: pending consents, authorization codes, installations, and the
// operator's resource servers (who may introspect tokens).
export const oauth: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('installations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('installed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('installed_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('uninstalled_at', 'text')
      // One record per (app, company): a reinstall brings the same record back to life.
      .addUniqueConstraint('installations_app_company', ['app_id', 'company_id'])
      .execute();
    await db.schema
      .createIndex('installations_company_idx')
      .on('installations')
      .column('company_id')
      .execute();
    await db.schema
      .createTable('authorization_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_hash', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('state', 'text')
      .addColumn('code_challenge', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('authorization_requests_expires_idx')
      .on('authorization_requests')
      .column('expires_at')
      .execute();
    await db.schema
      .createTable('authorization_codes')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('code_challenge', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('consumed_at', 'text')
      .addColumn('token_id', 'text')
      .addColumn('replayed_at', 'text')
      .execute();
    await db.schema
      .createIndex('authorization_codes_expires_idx')
      .on('authorization_codes')
      .column('expires_at')
      .execute();
    await db.schema
      .createTable('resource_servers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('tokens_installation_idx')
      .on('tokens')
      .column('installation_id')
      .where(sql.ref('installation_id'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('tokens_installation_idx').execute();
    for (const t of ['resource_servers', 'authorization_codes', 'authorization_requests', 'installations']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
