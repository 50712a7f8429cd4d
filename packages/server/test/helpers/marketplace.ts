import { randomBase32 } from '../../src/lib/ids.js';
import { drawIcon, drawScreenshot, pngSize } from '../../src/lib/png.js';
import { markPublished, putLiveListing } from '../../src/marketplace/repo.js';
import type { TestPorter } from './porter.js';

/** A listing for publishForTest; every field has a default. */
export interface TestListing {
  tagline?: string;
  description?: string;
  category?: string;
  supportEmail?: string;
  privacyUrl?: string;
  screenshots?: number;
  /** When it was first published (ISO); now when absent. */
  publishedAt?: string;
}

async function insertPng(porter: TestPorter, appId: string, bytes: Buffer): Promise<string> {
  const id = `img_${randomBase32(10)}`;
  const { width, height } = pngSize(bytes);
  await porter.db
    .insertInto('listing_images')
    .values({
      id,
      app_id: appId,
      content_type: 'image/png',
      width,
      height,
      byte_size: bytes.length,
      bytes,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

/**
 * Publishes an app straight through the database, as an approved review would leave it: its
 * icon and screenshots in listing_images, its live listing in app_listings, status published.
 * (The review flow itself is tested apart; the marketplace only reads what it leaves.)
 */
export async function publishForTest(
  porter: TestPorter,
  app: { id: string; name?: string },
  listing: TestListing = {},
) {
  const now = listing.publishedAt ?? new Date().toISOString();
  const icon = await insertPng(porter, app.id, drawIcon(64, [41, 82, 204], [255, 209, 102]));
  const screenshots: string[] = [];
  for (let i = 0; i < (listing.screenshots ?? 1); i++)
    screenshots.push(await insertPng(porter, app.id, drawScreenshot(320, 200, [6, 118, 71])));
  const row = {
    app_id: app.id,
    tagline: listing.tagline ?? `${app.name ?? 'This app'} keeps your data in sync.`,
    description: listing.description ?? 'What it does.\nAnd how.',
    category: listing.category ?? 'marketing',
    icon_image_id: icon,
    screenshot_image_ids: JSON.stringify(screenshots),
    support_email: listing.supportEmail ?? 'help@partner.example',
    privacy_url: listing.privacyUrl ?? 'https://partner.example/privacy',
    published_at: now,
    updated_at: now,
  };
  await putLiveListing(porter.db, row);
  if (!(await markPublished(porter.db, app.id, now))) throw new Error(`app ${app.id} is gone`);
  return { iconId: icon, screenshotIds: screenshots, listing: row };
}

/** Sets an app's status straight in the database (in review, rejected, suspended…), as the other parts would. */
export async function setStatusForTest(
  porter: TestPorter,
  appId: string,
  status: 'private' | 'unlisted' | 'in_review' | 'published' | 'rejected' | 'suspended' | 'deleted',
) {
  await porter.db.updateTable('apps').set({ status }).where('id', '=', appId).execute();
}
