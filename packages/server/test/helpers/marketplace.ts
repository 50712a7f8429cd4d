import { drawIcon, drawScreenshot } from '../../src/lib/png.js';
import type { TestPorter } from './porter.js';

/** A listing for publishForTest; every field has a default. */
export interface TestListing {
  tagline?: string;
  description?: string;
  category?: string;
  supportEmail?: string;
  privacyUrl?: string;
  /** The app's install start page: where Install leads instead of the distribution URL. */
  installUrl?: string;
  screenshots?: number;
  /** When it was first published (ISO); now when absent. */
  publishedAt?: string;
}

/**
 * Publishes an app as a developer and an admin would: its listing drafted with images,
 * submitted and approved (by the operator). `publishedAt` then backdates the live listing, so
 * sorting by newest can be tested. Answers the images' ids.
 */
export async function publishForTest(
  porter: TestPorter,
  app: { id: string; name?: string },
  listing: TestListing = {},
) {
  const { listings, reviews } = porter.services;
  const operator = { kind: 'operator' as const, label: 'test' };
  const { company_id: companyId } = await porter.db
    .selectFrom('apps')
    .select('company_id')
    .where('id', '=', app.id)
    .executeTakeFirstOrThrow();
  const upload = (bytes: Buffer) => ({ bytes, truncated: false });
  const { draft } = await listings.saveDraft(operator, companyId, app.id, {
    fields: {
      tagline: listing.tagline ?? `${app.name ?? 'This app'} keeps your data in sync.`,
      description: listing.description ?? 'What it does.\nAnd how it does it.',
      category: listing.category ?? 'marketing',
      support_email: listing.supportEmail ?? 'help@partner.example',
      privacy_url: listing.privacyUrl ?? 'https://partner.example/privacy',
      install_url: listing.installUrl,
    },
    icon: upload(drawIcon(128, [41, 82, 204], [255, 209, 102])),
    screenshots: Array.from({ length: listing.screenshots ?? 1 }, () =>
      upload(drawScreenshot(320, 200, [6, 118, 71])),
    ),
  });
  await reviews.approve(operator, (await reviews.submit(operator, companyId, app.id)).id);
  if (listing.publishedAt)
    await porter.db
      .updateTable('app_listings')
      .set({ published_at: listing.publishedAt })
      .where('app_id', '=', app.id)
      .execute();
  return { iconId: draft.icon_image_id ?? '', screenshotIds: draft.screenshot_image_ids ?? [] };
}

/** Sets an app's status straight in the database (in review, rejected, suspended…), as the other parts would. */
export async function setStatusForTest(
  porter: TestPorter,
  appId: string,
  status: 'private' | 'unlisted' | 'in_review' | 'published' | 'rejected' | 'suspended' | 'deleted',
) {
  await porter.db.updateTable('apps').set({ status }).where('id', '=', appId).execute();
}
