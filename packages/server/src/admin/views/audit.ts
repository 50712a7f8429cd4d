import type { FieldIssues } from '../../lib/errors.js';
import { html, type SafeHtml } from '../../web/html.js';
import type { AdminAuditEvent } from '../service.js';
import { adminAppPath, adminCompanyPath, detailsText } from './apps.js';
import { filterForm, filterText, typed, utcCell, withQuery } from './shared.js';
import { adminPageView } from './tabs.js';

/** The filters, in the form's order, with the words the error summary uses. */
const FILTERS = {
  company: 'Company',
  app: 'App ID',
  actor: 'Actor',
  action: 'Action',
  from: 'From',
  to: 'To',
  before: 'Older than',
  limit: 'Limit',
} as const;

const HINTS: Partial<Record<keyof typeof FILTERS, string>> = {
  company: 'Its ID (cmp_…) or part of its name.',
  actor: 'An e-mail address, or cli.',
  action: 'Exact, or its start: app.',
  from: 'UTC: YYYY-MM-DD or an ISO time.',
  to: 'UTC, inclusive of the day.',
};

/** What an event is about: a link when the admin area has a page for it. */
function target(e: AdminAuditEvent): SafeHtml {
  const id = html`<code>${e.target_id}</code>`;
  const link =
    e.target_type === 'app'
      ? html`<a href="${adminAppPath(e.target_id)}">${id}</a>`
      : e.target_type === 'company'
        ? html`<a href="${adminCompanyPath(e.target_id)}">${id}</a>`
        : id;
  return html`<span class="muted">${e.target_type}</span> ${link}`;
}

function eventRows(events: AdminAuditEvent[]): SafeHtml {
  if (events.length === 0) return html`<p class="muted" id="no-events">No event matches.</p>`;
  return html`<table class="stack audit" id="admin-audit"><thead><tr><th>When (UTC)</th><th>Actor</th><th>Action</th><th>Company</th><th>Target</th><th>Details</th></tr></thead><tbody>
    ${events.map(
      (e) => html`<tr data-id="${e.id}"><td>${utcCell(e.created_at)}</td>
        <td data-label="Actor" class="email">${e.actor}</td>
        <td data-label="Action"><code class="nowrap">${e.action}</code></td>
        <td data-label="Company">${e.company ? html`<a href="${adminCompanyPath(e.company.id)}">${e.company.name ?? e.company.id}</a>` : html`<span class="muted">none</span>`}</td>
        <td data-label="Target">${target(e)}</td>
        <td data-label="Details">${detailsText(e.details)}</td></tr>`,
    )}</tbody></table>`;
}

/** The audit log across every company: the filter form, the events, and a link to older ones. */
export function adminAuditView(opts: {
  query: Record<string, unknown>;
  errors: FieldIssues;
  result: { events: AdminAuditEvent[]; next: string | undefined } | undefined;
}): SafeHtml {
  const { query, errors, result } = opts;
  const shown = ['company', 'app', 'actor', 'action', 'from', 'to'] as const;
  const params = Object.fromEntries(shown.map((k) => [k, typed(query, k)]));
  const limit = typed(query, 'limit');
  const form = filterForm({
    action: '/admin/audit',
    label: 'Filter the audit log',
    errors,
    labels: FILTERS,
    filtered: shown.some((k) => params[k] !== ''),
    fields: html`${shown.map((k) => filterText(query, errors, k, FILTERS[k], HINTS[k]))}${limit ? html`<input type="hidden" name="limit" value="${limit}">` : ''}`,
  });
  const older = result?.next
    ? html`<a href="${withQuery('/admin/audit', { ...params, limit, before: result.next })}" rel="next">Older →</a>`
    : html`<span></span>`;
  const newest = typed(query, 'before')
    ? html`<a href="${withQuery('/admin/audit', { ...params, limit })}">← Newest</a>`
    : html`<span></span>`;
  const list = result
    ? html`${eventRows(result.events)}${result.next || typed(query, 'before') ? html`<nav class="pager" aria-label="Pages">${newest}${older}</nav>` : ''}`
    : html``;
  return adminPageView('audit', html`<section class="card" aria-label="Audit log">${form}${list}</section>`);
}
