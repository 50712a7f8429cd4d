import { isCategory } from '../apps/categories.js';
import { MAX_QUERY, type MarketplaceQuery, SORTS } from './service.js';

/** The marketplace page's query, checked: what is run, and what in the URL was set aside. */
export interface BrowseQuery extends MarketplaceQuery {
  /** What in the URL was not used, in words for the visitor (an unknown category, a cut search). */
  notes: string[];
}

/** One query parameter as a string: the first when repeated, '' when absent. */
function first(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

/**
 * Reads the marketplace's query (`q`, `category`, `sort`, `page`) leniently: a link anyone may
 * type or edit is answered with the closest page and a note, never refused.
 */
export function readBrowseQuery(query: Record<string, unknown>): BrowseQuery {
  const notes: string[] = [];
  let q = first(query.q).replace(/\s+/g, ' ').trim();
  if (q.length > MAX_QUERY) {
    q = q.slice(0, MAX_QUERY).trim();
    notes.push(`Searches are at most ${MAX_QUERY} characters; yours was shortened.`);
  }
  const slug = first(query.category);
  const category = isCategory(slug) ? slug : undefined;
  if (slug && !category) notes.push('That category does not exist; showing every category.');
  const sortParam = first(query.sort);
  const sort = SORTS.find((s) => s === sortParam) ?? 'installs';
  const pageParam = first(query.page);
  const page = /^[1-9][0-9]{0,5}$/.test(pageParam) ? Number(pageParam) : 1;
  return { q, category, sort, page, notes };
}
