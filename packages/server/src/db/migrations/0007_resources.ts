import type { Kysely, Migration } from 'kysely';

// The protected API's resources, each row owned by one company: subscribers (known by phone,
// email or an external id), their custom attributes and subscriptions, the events apps send
// about them, privacy requests, and the answers kept for Idempotency-Key retries.
export const resources: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('subscribers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('external_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      // One subscriber per identifier in a company (NULLs are distinct in both dialects).
      .addUniqueConstraint('subscribers_company_phone', ['company_id', 'phone'])
      .addUniqueConstraint('subscribers_company_email', ['company_id', 'email'])
      .addUniqueConstraint('subscribers_company_external', ['company_id', 'external_id'])
      .execute();
    await db.schema
      .createTable('subscriber_attributes')
      .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('subscriber_attributes_pk', ['subscriber_id', 'name'])
      .execute();
    await db.schema
      .createTable('subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('subscriptions_subscriber_channel_type', ['subscriber_id', 'channel', 'type'])
      .execute();
    await db.schema
      .createIndex('subscriptions_company_idx')
      .on('subscriptions')
      .columns(['company_id', 'id'])
      .execute();
    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('events_company_kind_idx')
      .on('events')
      .columns(['company_id', 'kind', 'id'])
      .execute();
    await db.schema.createIndex('events_subscriber_idx').on('events').column('subscriber_id').execute();
    await db.schema
      .createTable('privacy_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('subscriber_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['company_id', 'app_id', 'key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_expires_idx')
      .on('idempotency_keys')
      .column('expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of [
      'idempotency_keys',
      'privacy_requests',
      'events',
      'subscriptions',
      'subscriber_attributes',
      'subscribers',
    ]) {
      await db.schema.dropTable(t).execute();
    }
  },
};
