import { CATEGORIES, type Category, isCategory } from '../apps/categories.js';
import { distributionUrl } from '../apps/service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { ListingFields } from '../db/marketplace-schema.js';
import { isId } from '../lib/ids.js';
import * as repo from './repo.js';

/** Apps on one marketplace page. */
export const PAGE_SIZE = 12;
/** The longest search the marketplace runs; a longer one is cut to this length and said so. */
export const MAX_QUERY = 100;

export const SORTS = ['installs', 'newest', 'name'] as const satisfies readonly repo.MarketplaceSort[];

export const SORT_LABELS: Record<repo.MarketplaceSort, string> = {
  installs: 'Most installed',
  newest: 'Newest',
  name: 'Name',
};

/** What the marketplace is asked for: a search, a category, an order and a page (from 1). */
export interface MarketplaceQuery {
  q: string;
  category: Category | undefined;
  sort: repo.MarketplaceSort;
  page: number;
}

/** An app as a marketplace card. */
export interface AppCard {
  id: string;
  name: string;
  developer: string;
  tagline: string;
  category: string;
  categoryLabel: string;
  iconUrl: string;
  installCount: number;
  publishedAt: string;
}

export interface CategoryCount {
  slug: Category;
  label: string;
  count: number;
}

export interface BrowseResult {
  apps: AppCard[];
  /** Apps matching the search and category, over every page. */
  total: number;
  page: number;
  pages: number;
  /** Every category with how many apps match the search in it. */
  categories: CategoryCount[];
}

/** A published app's public page: the live listing, every scope in words, and how to install it. */
export interface AppListing extends AppCard {
  description: string;
  screenshotUrls: string[];
  supportEmail: string;
  privacyUrl: string;
  scopes: { name: string; words: string }[];
  /**
   * Where Install leads: the listing's install URL (the app's own page, which starts the install
   * with its own state and PKCE) when it has one, else the app's distribution URL; null when the
   * app cannot be installed (no distribution URL).
   */
  installUrl: string | null;
  /** The listing's own install URL, when the developer gave one (shown in the admin's preview). */
  appInstallUrl: string | null;
}

/** The public URL of a listing image (served by the listing images route). */
export const listingImageUrl = (id: string) => `/listing-images/${encodeURIComponent(id)}`;

function labelOf(category: string): string {
  return isCategory(category) ? CATEGORIES[category] : category;
}

function card(row: {
  id: string;
  name: string;
  developer_name: string;
  tagline: string;
  category: string;
  icon_image_id: string;
  install_count: number;
  published_at: string;
}): AppCard {
  return {
    id: row.id,
    name: row.name,
    developer: row.developer_name,
    tagline: row.tagline,
    category: row.category,
    categoryLabel: labelOf(row.category),
    iconUrl: listingImageUrl(row.icon_image_id),
    installCount: row.install_count,
    publishedAt: row.published_at,
  };
}

/** The public marketplace: published apps only, read by anyone, signed in or not. */
export class MarketplaceService {
  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'publicUrl' | 'scopes'>,
  ) {}

  /** One page of published apps matching the query, and the counts per category. */
  async browse(query: MarketplaceQuery): Promise<BrowseResult> {
    const filter = { q: query.q || undefined, category: query.category };
    const counts = await repo.countByCategory(this.db, filter);
    const total = query.category ? (counts.get(query.category) ?? 0) : sum(counts.values());
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(query.page, pages);
    const rows =
      total === 0
        ? []
        : await repo.listPublishedApps(this.db, filter, {
            sort: query.sort,
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
          });
    const categories = (Object.keys(CATEGORIES) as Category[]).map((slug) => ({
      slug,
      label: CATEGORIES[slug],
      count: counts.get(slug) ?? 0,
    }));
    return { apps: rows.map(card), total, page, pages, categories };
  }

  /** A published app's listing, or undefined (unknown, unlisted, in review, suspended, deleted…). */
  async listing(appId: string): Promise<AppListing | undefined> {
    if (!isId(appId, 'app')) return undefined;
    const row = await repo.findPublishedApp(this.db, appId);
    if (!row) return undefined;
    return {
      ...appListing(
        {
          ...row,
          screenshot_image_ids: JSON.parse(row.screenshot_image_ids),
          scopes: JSON.parse(row.scopes),
        },
        this.config.scopes,
      ),
      installUrl: installLink(row.install_url, distributionUrl(this.config.publicUrl, row)),
    };
  }
}

/**
 * Where the marketplace's Install leads: the app's install page when the listing names one (the
 * app then starts the install with a state its callback checks), else the distribution URL. An
 * app without a distribution URL cannot be installed either way.
 */
export function installLink(listingInstallUrl: string | null | undefined, distribution: string | null) {
  if (!distribution) return null;
  return listingInstallUrl || distribution;
}

/**
 * A listing as its page shows it, from the live listing or a review's snapshot (the admin's
 * preview): the same fields, the same words for each scope. Without an install URL.
 */
export function appListing(
  row: ListingFields & {
    id: string;
    name: string;
    developer_name: string;
    install_count: number;
    published_at: string;
    scopes: string[];
  },
  registry: Readonly<Record<string, string>>,
): AppListing {
  return {
    ...card(row),
    description: row.description,
    screenshotUrls: row.screenshot_image_ids.map(listingImageUrl),
    supportEmail: row.support_email,
    privacyUrl: row.privacy_url,
    scopes: row.scopes.map((name) => ({ name, words: registry[name] ?? name })),
    installUrl: null,
    appInstallUrl: row.install_url ?? null,
  };
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
