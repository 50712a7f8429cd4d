import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { DB } from '../db/schema.js';

/** How the marketplace orders its apps. */
export type MarketplaceSort = 'installs' | 'newest' | 'name';

/** What the marketplace narrows its apps by: a search and a category slug. */
export interface MarketplaceFilter {
  /** Matched case-insensitively, as typed: LIKE's wildcards in it are escaped. */
  q?: string;
  category?: string;
}

/** A search term as a LIKE pattern that matches it literally anywhere (`\` is the escape). */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Live installations of the app into real companies: test companies are how developers try
 * their own apps, so they do not count as installs on the marketplace.
 */
function installCount(eb: ExpressionBuilder<DB, 'apps'>) {
  return eb
    .selectFrom('installations')
    .innerJoin('companies as installer', 'installer.id', 'installations.company_id')
    .select((e) => e.fn.countAll<number | string>().as('n'))
    .whereRef('installations.app_id', '=', 'apps.id')
    .where('installations.uninstalled_at', 'is', null)
    .where('installer.is_test', '=', 0);
}

/** Published apps with their live listing and developer; never any other status. */
function published(db: Executor) {
  return db
    .selectFrom('apps')
    .innerJoin('app_listings', 'app_listings.app_id', 'apps.id')
    .innerJoin('companies as developer', 'developer.id', 'apps.company_id')
    .where('apps.status', '=', 'published');
}

type Published = SelectQueryBuilder<
  DB & { developer: DB['companies'] },
  'apps' | 'app_listings' | 'developer',
  object
>;

function filtered<Q extends Published>(query: Q, filter: MarketplaceFilter): Q {
  let q = query;
  if (filter.q) {
    const like = containsPattern(filter.q);
    const matches = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${like} escape '\\'`;
    q = q.where(
      () =>
        sql<boolean>`(${matches('apps.name')} or ${matches('app_listings.tagline')} or ${matches('app_listings.description')} or ${matches('developer.name')})`,
    ) as Q;
  }
  if (filter.category) q = q.where('app_listings.category', '=', filter.category) as Q;
  return q;
}

/** One page of published apps as marketplace cards. */
export async function listPublishedApps(
  db: Executor,
  filter: MarketplaceFilter,
  page: { sort: MarketplaceSort; limit: number; offset: number },
) {
  let query = filtered(published(db), filter).select((eb) => [
    'apps.id',
    'apps.name',
    'developer.name as developer_name',
    'app_listings.tagline',
    'app_listings.category',
    'app_listings.icon_image_id',
    'app_listings.published_at',
    installCount(eb).as('install_count'),
  ]);
  if (page.sort === 'installs') query = query.orderBy('install_count', 'desc');
  if (page.sort === 'newest') query = query.orderBy('app_listings.published_at', 'desc');
  query = query.orderBy(sql`lower(apps.name)`).orderBy('apps.id');
  const rows = await query.limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => ({ ...r, install_count: Number(r.install_count ?? 0) }));
}

/** How many published apps match the search, per category (the filter's counts). */
export async function countByCategory(db: Executor, filter: Pick<MarketplaceFilter, 'q'>) {
  const rows = await filtered(published(db), { q: filter.q })
    .select(['app_listings.category', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('app_listings.category')
    .execute();
  return new Map(rows.map((r) => [r.category, Number(r.n)]));
}

/** A published app with its live listing, developer and install count; undefined otherwise. */
export async function findPublishedApp(db: Executor, appId: string) {
  const row = await published(db)
    .select((eb) => [
      'apps.id',
      'apps.name',
      'apps.scopes',
      'apps.client_id',
      'apps.redirect_urls',
      'developer.name as developer_name',
      'app_listings.tagline',
      'app_listings.description',
      'app_listings.category',
      'app_listings.icon_image_id',
      'app_listings.screenshot_image_ids',
      'app_listings.support_email',
      'app_listings.privacy_url',
      'app_listings.install_url',
      'app_listings.published_at',
      installCount(eb).as('install_count'),
    ])
    .where('apps.id', '=', appId)
    .executeTakeFirst();
  return row && { ...row, install_count: Number(row.install_count ?? 0) };
}
