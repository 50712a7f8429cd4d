import { drawIcon, drawScreenshot } from '../../src/lib/png.js';
import { writePublished } from '../../src/marketplace/service.js';
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
  const screenshots = Array.from({ length: listing.screenshots ?? 1 }, () =>
    drawScreenshot(320, 200, [6, 118, 71]),
  );
  const fields = {
    tagline: listing.tagline ?? `${app.name ?? 'This app'} keeps your data in sync.`,
    description: listing.description ?? 'What it does.\nAnd how.',
    category: listing.category ?? 'marketing',
    support_email: listing.supportEmail ?? 'help@partner.example',
    privacy_url: listing.privacyUrl ?? 'https://partner.example/privacy',
  };
  const icon = drawIcon(64, [41, 82, 204], [255, 209, 102]);
  return writePublished(porter.db, app.id, fields, { icon, screenshots }, now);
}

/** Sets an app's status straight in the database (in review, rejected, suspended…), as the other parts would. */
export async function setStatusForTest(
  porter: TestPorter,
  appId: string,
  status: 'private' | 'unlisted' | 'in_review' | 'published' | 'rejected' | 'suspended' | 'deleted',
) {
  await porter.db.updateTable('apps').set({ status }).where('id', '=', appId).execute();
}
