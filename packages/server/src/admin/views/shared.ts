import type { FieldIssues } from '../../lib/errors.js';
import { errorSummary, textField } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';

// Pieces the admin area's lists share: GET filter forms whose values live in the URL, pagers,
// times and counts.

/** A query-string value as typed (the first, if repeated), to fill a filter form again. */
export function typed(query: Record<string, unknown>, name: string): string {
  const v = query[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.slice(0, 400) : '';
}

/** A path with these query parameters, leaving out empty ones. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** An ISO UTC time as a table shows it: day and time, each unbroken. */
export function utcCell(iso: string): SafeHtml {
  return html`<time datetime="${iso}"><span class="nowrap">${iso.slice(0, 10)}</span> <span class="nowrap">${iso.slice(11, 19)}</span></time>`;
}

/** A GET filter form: its fields, Apply, and Clear when something is filtered. */
export function filterForm(opts: {
  action: string;
  label: string;
  errors: FieldIssues;
  labels: Record<string, string>;
  fields: SafeHtml;
  filtered: boolean;
}): SafeHtml {
  return html`${errorSummary({ errors: opts.errors }, opts.labels, Object.keys(opts.labels))}
    <form method="get" action="${opts.action}" class="filters" role="search" aria-label="${opts.label}">
      ${opts.fields}
      <div class="actions"><button type="submit">Apply</button>${opts.filtered ? html` <a class="button secondary" href="${opts.action}">Clear</a>` : ''}</div>
    </form>`;
}

/** A text filter of a GET form. */
export function filterText(
  query: Record<string, unknown>,
  errors: FieldIssues,
  name: string,
  label: string,
  hint?: string,
): SafeHtml {
  return html`<div>${textField({ name, label, value: typed(query, name), errors, hint })}</div>`;
}

/** Previous and Next links of an offset-paged list. */
export function pager(
  path: string,
  params: Record<string, string | undefined>,
  page: number,
  hasNext: boolean,
) {
  if (page === 1 && !hasNext) return html``;
  return html`<nav class="pager" aria-label="Pages">
    ${page > 1 ? html`<a href="${withQuery(path, { ...params, page: page - 1 === 1 ? undefined : page - 1 })}" rel="prev">← Previous</a>` : html`<span></span>`}
    <span class="muted">Page ${page}</span>
    ${hasNext ? html`<a href="${withQuery(path, { ...params, page: page + 1 })}" rel="next">Next →</a>` : html`<span></span>`}
  </nav>`;
}

/** "1 member", "3 members". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
