import type { FastifyReply } from 'fastify';
import type { Flash } from '../../accounts/flash.js';
import { APP_ACTION_LABELS } from '../../apps/views/audit.js';
import { card } from '../../apps/views/card.js';
import { STATUS_LABELS, statusBadge } from '../../apps/views/fields.js';
import type { AuditEvent } from '../../db/schema.js';
import type { FieldIssues } from '../../lib/errors.js';
import { errorSummary, fieldError, flashMessages, invalid } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { utcMinute } from '../../web/last-used.js';
import { csrfField } from '../../web/layout.js';
import { LISTED_STATUSES } from '../schemas.js';
import type { AdminApp, AdminAppDetails, Page } from '../service.js';
import { filterForm, filterText, pager, typed, utcCell, withQuery } from './shared.js';
import { adminPageView } from './tabs.js';

export const adminAppPath = (id: string) => `/admin/apps/${id}`;
export const adminCompanyPath = (id: string) => `/admin/companies/${id}`;

function statusSelect(query: Record<string, unknown>, errors: FieldIssues): SafeHtml {
  const chosen = typed(query, 'status');
  return html`<div><label for="status">Status</label>
    <select id="status" name="status"${invalid(errors, 'status')}>
      <option value="">Any status</option>
      ${LISTED_STATUSES.map((s) => html`<option value="${s}"${s === chosen ? html` selected` : ''}>${STATUS_LABELS[s]}</option>`)}
    </select>${fieldError(errors, 'status')}</div>`;
}

function appRows(apps: AdminApp[]): SafeHtml {
  if (apps.length === 0) return html`<p class="muted" id="no-apps">No app matches.</p>`;
  return html`<table class="stack" id="admin-apps"><thead><tr><th>App</th><th>Developer</th><th>Status</th><th>Installs</th><th>Created (UTC)</th></tr></thead><tbody>
    ${apps.map(
      (
        a,
      ) => html`<tr><td><a href="${adminAppPath(a.id)}">${a.name}</a>${a.client_id ? html`<br><code class="muted">${a.client_id}</code>` : ''}</td>
        <td data-label="Developer"><a href="${adminCompanyPath(a.company_id)}">${a.company_name}</a></td>
        <td data-label="Status">${statusBadge(a.status)}</td>
        <td data-label="Installs" data-testid="installs">${a.installs}</td>
        <td data-label="Created">${utcCell(a.created_at)}</td></tr>`,
    )}</tbody></table>`;
}

/** Every app: filtered by status, searched by name or client ID, 50 a page. */
export function adminAppsView(opts: {
  query: Record<string, unknown>;
  errors: FieldIssues;
  result: Page<AdminApp> | undefined;
}): SafeHtml {
  const { query, errors, result } = opts;
  const params = { status: typed(query, 'status'), q: typed(query, 'q') };
  const form = filterForm({
    action: '/admin/apps',
    label: 'Filter apps',
    errors,
    labels: { status: 'Status', q: 'Name or client ID', page: 'Page' },
    filtered: Boolean(params.status || params.q),
    fields: html`${statusSelect(query, errors)}${filterText(query, errors, 'q', 'Name or client ID')}`,
  });
  const list = result
    ? html`${appRows(result.items)}${pager('/admin/apps', params, result.page, result.hasNext)}`
    : html``;
  return adminPageView('apps', html`<section class="card" aria-label="Apps">${form}${list}</section>`);
}

/** An event's details as short `key: value` lines. */
export function detailsText(details: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(details);
  if (entries.length === 0) return html``;
  return html`<ul class="details">${entries.map(([k, v]) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return html`<li><span class="muted">${k}:</span> ${text.length > 300 ? `${text.slice(0, 300)}…` : text}</li>`;
  })}</ul>`;
}

function historyTable(events: AuditEvent[]): SafeHtml {
  if (events.length === 0) return html`<p class="muted">Nothing recorded.</p>`;
  return html`<table class="stack" id="app-history"><thead><tr><th>When (UTC)</th><th>What</th><th>Who</th><th>Details</th></tr></thead><tbody>
    ${events.map(
      (
        e,
      ) => html`<tr><td>${utcCell(e.created_at)}</td><td data-label="What">${APP_ACTION_LABELS[e.action] ?? e.action}</td>
        <td data-label="Who" class="email">${e.actor}</td><td data-label="Details">${detailsText(JSON.parse(e.details))}</td></tr>`,
    )}</tbody></table>`;
}

type Installation = {
  id: string;
  scopes: string;
  installed_at: string;
  company_id: string;
  company_name: string;
};

function installationsTable(rows: Installation[]): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">Not installed anywhere.</p>`;
  return html`<table class="stack" id="app-installations"><thead><tr><th>Company</th><th>Scopes</th><th>Installed (UTC)</th></tr></thead><tbody>
    ${rows.map(
      (i) => html`<tr><td><a href="${adminCompanyPath(i.company_id)}">${i.company_name}</a></td>
        <td data-label="Scopes">${(JSON.parse(i.scopes) as string[]).map((s) => html`<code>${s}</code> `)}</td>
        <td data-label="Installed">${utcCell(i.installed_at)}</td></tr>`,
    )}</tbody></table>`;
}

/** Suspend (a reason and a confirmation), or Unsuspend when it is suspended. */
function suspensionCard(
  app: AdminAppDetails,
  reply: FastifyReply,
  flash: Flash | undefined,
  history: AuditEvent[],
) {
  const path = adminAppPath(app.id);
  if (app.status === 'deleted') return html``;
  if (app.status === 'suspended') {
    const latest = history.find((e) => e.action === 'app.suspended');
    const reason = latest ? (JSON.parse(latest.details) as { reason?: string }).reason : undefined;
    return card(
      'unsuspend-form',
      'Suspended',
      html`${errorSummary(formState(flash, 'unsuspend-form'))}
      ${latest ? html`<p id="suspension-reason"><strong>Reason:</strong> ${reason ?? ''}</p><p class="muted">Since ${utcMinute(latest.created_at)}, by ${latest.actor}.</p>` : ''}
      <form method="post" action="${path}/unsuspend">${csrfField(reply)}
        <p>Unsuspending gives the app back its status before (${app.status_before_suspension ? STATUS_LABELS[app.status_before_suspension] : 'unknown'}): its API key and access tokens work again at once.</p>
        <div class="actions"><button type="submit">Unsuspend</button></div></form>`,
    );
  }
  const form = formState(flash, 'suspend-form');
  const reason = typeof form.values?.reason === 'string' ? form.values.reason : '';
  return card(
    'suspend-form',
    'Suspend',
    html`${errorSummary(form, { reason: 'Reason', confirm: 'Confirmation' }, ['reason', 'confirm'])}
    <form method="post" action="${path}/suspend">${csrfField(reply)}
      <p>A suspended app's API key and every access token are refused at once; it cannot be installed or exchange codes. Its developers see the reason.</p>
      <label for="reason">Reason</label>
      <p class="hint" id="reason-hint">Shown to the app's developers on their app page.</p>
      <textarea id="reason" name="reason" rows="3" required aria-describedby="reason-hint${form.errors.reason ? ' reason-error' : ''}"${form.errors.reason ? html` aria-invalid="true"` : ''}>${reason}</textarea>
      ${fieldError(form.errors, 'reason')}
      <label class="check"><input type="checkbox" id="confirm" name="confirm" value="yes" required${invalid(form.errors, 'confirm')}> I understand its API key and the access tokens of its ${app.installs === 1 ? 'installation' : `${app.installs} installations`} stop working at once</label>
      ${fieldError(form.errors, 'confirm')}
      <div class="actions"><button type="submit" class="danger">Suspend app</button></div></form>`,
    ' danger-zone',
  );
}

/** One app: what it is, its suspension, its installations and its history. */
export function adminAppView(opts: {
  details: { app: AdminAppDetails; installations: Installation[]; history: AuditEvent[] };
  reply: FastifyReply;
  flash: Flash | undefined;
}): SafeHtml {
  const { app, installations, history } = opts.details;
  const about = html`<p><a href="/admin/apps">← Every app</a></p>
    <h2 class="app-title">${app.name} ${statusBadge(app.status)}</h2>
    ${flashMessages(opts.flash)}
    <section class="card" aria-label="About the app"><dl>
      <dt>Developer</dt><dd><a href="${adminCompanyPath(app.company_id)}">${app.company_name}</a></dd>
      <dt>App ID</dt><dd><code>${app.id}</code></dd>
      ${app.client_id ? html`<dt>Client ID</dt><dd><code>${app.client_id}</code></dd>` : ''}
      <dt>Scopes</dt><dd>${(JSON.parse(app.scopes) as string[]).map((s) => html`<code>${s}</code> `)}</dd>
      <dt>Live installations</dt><dd data-testid="installs">${app.installs}</dd>
      <dt>Created</dt><dd>${utcMinute(app.created_at)}</dd>
    </dl><p><a href="${withQuery('/admin/audit', { app: app.id })}">Every audit event of this app</a></p></section>`;
  return adminPageView(
    'apps',
    html`${about}${suspensionCard(app, opts.reply, opts.flash, history)}
    ${card('installations', `Installations (${installations.length})`, installationsTable(installations))}
    ${card('history', 'Status history', historyTable(history))}`,
  );
}
