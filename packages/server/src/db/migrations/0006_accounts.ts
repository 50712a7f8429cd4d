import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';

// Accounts for real use: verified e-mail addresses, one-time links (e-mail verification and
// password reset), invitations to a company, the browser of each session, and audit events
// about a person rather than a company (a password reset of someone in no company yet).
export const accountsForRealUse: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
    // Everyone made before sign-up existed was made by the operator, who vouched for them.
    await sql`update users set email_verified_at = created_at`.execute(db);
    await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
    await db.schema
      .createTable('account_tokens')
      .addColumn('selector', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('verify_email', 'reset_password')`))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('verifier_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('account_tokens_user_idx').on('account_tokens').column('user_id').execute();
    await db.schema
      .createTable('invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_normalized', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'admin', 'member')`))
      .addColumn('verifier_hash', 'text', (c) => c.notNull())
      .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('accepted_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('invitations_company_idx').on('invitations').column('company_id').execute();
    await auditCompanyOptional(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('invitations').execute();
    await db.schema.dropTable('account_tokens').execute();
    await db.schema.alterTable('sessions').dropColumn('user_agent').execute();
    await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  },
};

/** Lets an audit event belong to no company (SQLite cannot drop NOT NULL: the table is rebuilt). */
async function auditCompanyOptional(db: Kysely<unknown>) {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`alter table audit_events alter column company_id drop not null`.execute(db);
    return;
  }
  await db.schema
    .createTable('audit_events_new')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_events_new select id, company_id, actor, actor_user_id, action, target_type, target_id, details, created_at from audit_events`.execute(
    db,
  );
  await db.schema.dropTable('audit_events').execute();
  await db.schema.alterTable('audit_events_new').renameTo('audit_events').execute();
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
}
