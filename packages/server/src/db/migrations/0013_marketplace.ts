import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';

// The app lifecycle beyond distribution (issue 16 items 1–3): a listing drafted by the developer,
// reviews that snapshot it, the live listing the marketplace shows, the images they name,
// platform admins, and what an app was before it was suspended (unsuspending restores it).
export const marketplace: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('users')
      .addColumn('platform_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('apps').addColumn('listing_draft', 'text').execute();
    await db.schema.alterTable('apps').addColumn('status_before_suspension', 'text').execute();

    await listingTables(db);

    // The admin area's audit log filters by actor, by action and by time across every company.
    await db.schema.createIndex('audit_created_idx').on('audit_events').column('created_at').execute();
    await db.schema
      .createIndex('audit_actor_idx')
      .on('audit_events')
      .columns(['actor_user_id', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('audit_actor_idx').execute();
    await db.schema.dropIndex('audit_created_idx').execute();
    await db.schema.dropTable('listing_images').execute();
    await db.schema.dropTable('app_reviews').execute();
    await db.schema.dropTable('app_listings').execute();
    await db.schema.alterTable('apps').dropColumn('status_before_suspension').execute();
    await db.schema.alterTable('apps').dropColumn('listing_draft').execute();
    await db.schema.alterTable('users').dropColumn('platform_admin').execute();
  },
};

/** The live listings, the reviews that snapshot them, and their images. */
async function listingTables(db: Kysely<unknown>) {
  const bytes = db.getExecutor().adapter instanceof SqliteAdapter ? 'blob' : 'bytea';
  // The live listing: written when a review is approved, read by the marketplace.
  await db.schema
    .createTable('app_listings')
    .addColumn('app_id', 'text', (c) => c.primaryKey().references('apps.id'))
    .addColumn('tagline', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('icon_image_id', 'text', (c) => c.notNull())
    .addColumn('screenshot_image_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('support_email', 'text', (c) => c.notNull())
    .addColumn('privacy_url', 'text', (c) => c.notNull())
    .addColumn('install_url', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_listings_category_idx').on('app_listings').column('category').execute();

  // One row per submission: the listing and scopes as submitted, and the admin's decision.
  await db.schema
    .createTable('app_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'rejected', 'withdrawn')`),
    )
    .addColumn('listing', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('app_status_before', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_by_user_id', 'text')
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_user_id', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('app_reviews_app_idx')
    .on('app_reviews')
    .columns(['app_id', 'submitted_at'])
    .execute();
  await db.schema
    .createIndex('app_reviews_status_idx')
    .on('app_reviews')
    .columns(['status', 'submitted_at'])
    .execute();

  // Icons and screenshots, uploaded by the developer and checked by their bytes.
  await db.schema
    .createTable('listing_images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('bytes', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('listing_images_app_idx').on('listing_images').column('app_id').execute();
}
