import { type Kysely, type Migration, sql } from 'kysely';

export const apps: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('apps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('logo_url', 'text')
      .addColumn('homepage_url', 'text')
      .addColumn('webhook_url', 'text')
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('redirect_urls', 'text', (c) => c.notNull())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c
          .notNull()
          .check(
            sql`status in ('private', 'unlisted', 'in_review', 'published', 'rejected', 'suspended', 'deleted')`,
          ),
      )
      .addColumn('client_id', 'text', (c) => c.unique())
      .addColumn('client_secret_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema.createIndex('apps_company_idx').on('apps').columns(['company_id', 'status']).execute();

    // Every bearer credential (API key, access token, personal token) in one table, so the
    // bearer check is one indexed lookup by hash whatever the kind.
    await db.schema
      .createTable('tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('api_key', 'access_token', 'personal_token')`),
      )
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
      .addColumn('app_id', 'text', (c) => c.references('apps.id'))
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('installation_id', 'text')
      .addColumn('name', 'text')
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('tokens_app_idx').on('tokens').columns(['app_id', 'kind']).execute();
    await db.schema.createIndex('tokens_user_idx').on('tokens').columns(['user_id', 'company_id']).execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_target_idx')
      .on('audit_events')
      .columns(['target_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('audit_company_idx')
      .on('audit_events')
      .columns(['company_id', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['audit_events', 'tokens', 'apps']) await db.schema.dropTable(t).execute();
  },
};
