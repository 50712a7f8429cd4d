import { html, type SafeHtml } from '../web/html.js';
import type { BrowseQuery } from './query.js';
import type { MarketplaceSort } from './repo.js';
import type { AppCard, BrowseResult } from './service.js';
import { MAX_QUERY, SORT_LABELS } from './service.js';

/** The marketplace URL for a query: only the parameters that differ from the defaults. */
export function browseUrl(q: {
  q?: string;
  category?: string;
  sort?: MarketplaceSort;
  page?: number;
}): string {
  const params = new URLSearchParams();
  if (q.q) params.set('q', q.q);
  if (q.category) params.set('category', q.category);
  if (q.sort && q.sort !== 'installs') params.set('sort', q.sort);
  if (q.page && q.page > 1) params.set('page', String(q.page));
  const search = params.toString().replaceAll('+', '%20');
  return search ? `/marketplace?${search}` : '/marketplace';
}

export const installsText = (n: number) => (n === 1 ? '1 install' : `${n.toLocaleString('en')} installs`);

function searchForm(query: BrowseQuery): SafeHtml {
  const sorts = (Object.keys(SORT_LABELS) as MarketplaceSort[]).map(
    (s) => html`<option value="${s}"${s === query.sort ? html` selected` : ''}>${SORT_LABELS[s]}</option>`,
  );
  return html`<form method="get" action="/marketplace" role="search" class="market-search" aria-label="Search the marketplace">
    ${query.category ? html`<input type="hidden" name="category" value="${query.category}">` : ''}
    <div class="grow"><label for="q">Search apps</label>
      <input type="search" id="q" name="q" value="${query.q}" maxlength="${MAX_QUERY}" placeholder="Name, developer or what it does"></div>
    <div><label for="sort">Sort by</label><select id="sort" name="sort">${sorts}</select></div>
    <div><button type="submit">Search</button></div>
  </form>`;
}

function categoryNav(query: BrowseQuery, result: BrowseResult): SafeHtml {
  const all = result.categories.reduce((n, c) => n + c.count, 0);
  const link = (slug: string | undefined, label: string, count: number) => {
    const current = slug === query.category;
    // On a phone, categories without apps are left out of the list (the page stays short).
    const none = count === 0 && !current ? html` class="none"` : '';
    return html`<li${none}><a href="${browseUrl({ q: query.q, category: slug, sort: query.sort })}"${current ? html` aria-current="page"` : ''}>${label} <span class="count">(${count})</span></a></li>`;
  };
  return html`<nav class="categories" aria-labelledby="categories-h"><h2 id="categories-h">Categories</h2>
    <ul>${link(undefined, 'All categories', all)}${result.categories.map((c) => link(c.slug, c.label, c.count))}</ul></nav>`;
}

function appCard(app: AppCard): SafeHtml {
  return html`<li class="app-card">
    <img src="${app.iconUrl}" alt="" width="56" height="56">
    <div><h3><a href="/marketplace/apps/${app.id}">${app.name}</a></h3>
      <p class="muted">by ${app.developer}</p>
      <p>${app.tagline}</p>
      <p class="meta"><span class="badge">${app.categoryLabel}</span> <span>${installsText(app.installCount)}</span></p></div>
  </li>`;
}

function pagination(query: BrowseQuery, result: BrowseResult): SafeHtml {
  if (result.pages <= 1) return html``;
  const at = (page: number) => browseUrl({ ...query, page });
  return html`<nav class="pages" aria-label="Pages">
    ${result.page > 1 ? html`<a href="${at(result.page - 1)}" rel="prev">Previous page</a>` : ''}
    <span>Page ${result.page} of ${result.pages}</span>
    ${result.page < result.pages ? html`<a href="${at(result.page + 1)}" rel="next">Next page</a>` : ''}
  </nav>`;
}

function emptyState(query: BrowseQuery, result: BrowseResult): SafeHtml {
  const anywhere = result.categories.some((c) => c.count > 0);
  if (!query.q && !query.category)
    return html`<div class="empty"><p><strong>No apps are published yet.</strong></p>
      <p>Developers: build an app in the <a href="/developer">Developer portal</a>, enable distribution and submit it for review. Once a platform admin approves it, it is listed here.</p></div>`;
  const where = query.category ? result.categories.find((c) => c.slug === query.category)?.label : undefined;
  return html`<div class="empty"><p><strong>No apps match${query.q ? html` “${query.q}”` : ''}${where ? html` in ${where}` : ''}.</strong></p>
    <p>Try other words${query.category && anywhere ? html`, <a href="${browseUrl({ q: query.q, sort: query.sort })}">search every category</a>` : ''}, or <a href="/marketplace">see every app</a>.</p></div>`;
}

function resultsHeading(query: BrowseQuery, result: BrowseResult): SafeHtml {
  const label = query.category ? result.categories.find((c) => c.slug === query.category)?.label : undefined;
  const count = result.total === 1 ? '1 app' : `${result.total} apps`;
  return html`<h2 id="results-h">${count}${query.q ? html` matching “${query.q}”` : ''}${label ? html` in ${label}` : ''}</h2>`;
}

/** The marketplace: search, categories with counts, the matching apps as cards, pages. */
export function marketplaceView(query: BrowseQuery, result: BrowseResult): SafeHtml {
  return html`<h1>Marketplace</h1>
    <p class="muted">Apps that work with your company's data. Open one to see what it may do, then install it into your company.</p>
    ${query.notes.length ? html`<div class="notice" role="status">${query.notes.map((n) => html`<p>${n}</p>`)}</div>` : ''}
    ${searchForm(query)}
    <div class="market">
      ${categoryNav(query, result)}
      <section class="results" aria-labelledby="results-h">
        ${resultsHeading(query, result)}
        ${result.apps.length ? html`<ul class="app-cards">${result.apps.map(appCard)}</ul>` : emptyState(query, result)}
        ${pagination(query, result)}
      </section>
    </div>`;
}
