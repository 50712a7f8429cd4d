import type { Selectable } from 'kysely';

// The marketplace's tables (migration 0013), apart from schema.ts so each file stays readable.

/** A listing's fields as the developer writes them: the draft on `apps.listing_draft` and each review's snapshot (JSON). */
export interface ListingFields {
  tagline: string;
  description: string;
  /** A slug from apps/categories.ts. */
  category: string;
  /** A listing_images id. */
  icon_image_id: string;
  /** listing_images ids, in the order shown. */
  screenshot_image_ids: string[];
  support_email: string;
  privacy_url: string;
  /** The app's own page that starts an install with its own state (optional; older snapshots lack it). */
  install_url?: string | null;
}

/** The live listing of a published app: what the marketplace shows. */
export interface AppListingsTable {
  app_id: string;
  tagline: string;
  description: string;
  category: string;
  icon_image_id: string;
  /** JSON array of listing_images ids. */
  screenshot_image_ids: string;
  support_email: string;
  privacy_url: string;
  /** The app's install start page; null sends customers to the distribution URL. */
  install_url: string | null;
  /** When the app was first published. */
  published_at: string;
  updated_at: string;
}

export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** One submission for review: the listing and scopes as submitted, and the admin's decision. */
export interface AppReviewsTable {
  id: string;
  app_id: string;
  /** The developer company (denormalised for the review queue). */
  company_id: string;
  status: ReviewStatus;
  /** JSON ListingFields as submitted. */
  listing: string;
  /** JSON array of the scopes the app asks for once approved. */
  scopes: string;
  /** The app's status when submitted: a rejected first submission returns to `rejected`, a published app stays published. */
  app_status_before: string;
  submitted_by: string;
  submitted_by_user_id: string | null;
  submitted_at: string;
  decided_by: string | null;
  decided_by_user_id: string | null;
  decided_at: string | null;
  /** Why it was rejected, shown to the developer. */
  reason: string | null;
}

/** An uploaded icon or screenshot; immutable once stored. */
export interface ListingImagesTable {
  id: string;
  app_id: string;
  /** image/png, image/jpeg or image/webp, decided from the bytes, not the upload's claim. */
  content_type: string;
  width: number;
  height: number;
  byte_size: number;
  bytes: Buffer;
  created_at: string;
}

export type AppListingRow = Selectable<AppListingsTable>;
export type AppReviewRow = Selectable<AppReviewsTable>;
export type ListingImageRow = Selectable<ListingImagesTable>;
