import type { FastifyReply } from 'fastify';
import type { Flash } from '../../accounts/flash.js';
import type { AuditEvent } from '../../db/schema.js';
import type { FailureEntry } from '../../debugger/service.js';
import { copyable, errorSummary, fieldError, flashMessages, textArea, textField } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { lastUsed, utcMinute } from '../../web/last-used.js';
import { csrfField } from '../../web/layout.js';
import { type WebhooksOverview, webhooksTab } from '../../webhooks/views.js';
import type { DayActivity } from '../activity.js';
import type { AppView } from '../service.js';
import { activityCharts } from './activity.js';
import { auditTable } from './audit.js';
import { card } from './card.js';
import { debuggerTable } from './debugger.js';
import { APP_FIELD_ORDER, APP_LABELS, appSettingsFields, statusBadge } from './fields.js';
import { type ListingTabData, listingTab } from './listing.js';

/** The tabs of an app's page, each its own URL under /developer/apps/:id. */
export const APP_TABS = {
  settings: { path: '', label: 'Settings' },
  credentials: { path: '/credentials', label: 'Credentials' },
  distribution: { path: '/distribution', label: 'Distribution' },
  listing: { path: '/listing', label: 'Listing' },
  webhooks: { path: '/webhooks', label: 'Webhooks' },
  activity: { path: '/activity', label: 'Activity' },
  debugger: { path: '/debugger', label: 'Install debugger' },
  audit: { path: '/audit', label: 'Audit log' },
  danger: { path: '/danger', label: 'Danger zone' },
} as const;

export type AppTab = keyof typeof APP_TABS;

export const appPath = (id: string, tab: AppTab = 'settings') => `/developer/apps/${id}${APP_TABS[tab].path}`;

interface TabContext {
  app: AppView;
  reply: FastifyReply;
  flash: Flash | undefined;
  scopes: Readonly<Record<string, string>>;
  events?: AuditEvent[];
  failures?: FailureEntry[];
  activity?: DayActivity[];
  webhooks?: WebhooksOverview;
  /** Why and when the platform's admins suspended the app, when it is suspended. */
  suspension?: { reason: string; at: string };
  listing?: ListingTabData;
}

function settingsTab({ app, reply, flash, scopes }: TabContext): SafeHtml {
  const form = formState(flash, 'settings-form');
  return card(
    'settings-form',
    'Settings',
    html`${errorSummary(form, APP_LABELS, APP_FIELD_ORDER)}${app.status === 'published' ? html`<p class="hint" id="published-scopes">The app is published: change its scopes on the <a href="${appPath(app.id, 'listing')}">Listing</a> tab, where they go through review.</p>` : ''}<form method="post" action="${appPath(app.id)}/settings">${csrfField(reply)}
      ${appSettingsFields(scopes, form.values ?? app, form.errors)}
      <div class="actions"><button type="submit">Save settings</button></div></form>`,
  );
}

/** How long the previous client secret keeps working: the regeneration form's choices, in minutes. */
const KEEP_OLD = [
  ['none', 'None: it stops working at once'],
  ['60', '1 hour'],
  ['1440', '24 hours'],
] as const;

/** The previous client secret during its overlap window: until when, its last use, and a way to end it. */
function previousSecret(app: AppView, reply: FastifyReply): SafeHtml {
  const previous = app.previous_client_secret;
  if (!previous) return html``;
  return html`<dt>Previous client secret</dt><dd><p id="previous-secret-until">The previous secret works until <time datetime="${previous.expires_at}">${utcMinute(previous.expires_at)}</time>.
      ${lastUsed(previous.last_used_at)}.</p>
    <form method="post" action="${appPath(app.id)}/client-secret/end-previous">${csrfField(reply)}
      <button type="submit" class="secondary">End the previous secret now</button></form></dd>`;
}

function credentialsTab({ app, reply, flash }: TabContext): SafeHtml {
  const secretForm = formState(flash, 'client-secret-form');
  const keepOld = typeof secretForm.values?.keep_old === 'string' ? secretForm.values.keep_old : 'none';
  const apiKey = card(
    'api-key-form',
    'API key',
    html`<p>Use the API key as <code>Authorization: Bearer …</code> to call the API for ${app.name}'s own company, with the app's scopes.
      Check it with <code>GET /v1/me</code>.</p>
      <p id="api-key-last-used">${lastUsed(app.api_key_last_used_at)}.</p>
      <form method="post" action="${appPath(app.id)}/api-key">${csrfField(reply)}
        <button type="submit" class="secondary">Regenerate API key</button>
        <p class="hint">The current key stops working at once.</p></form>`,
  );
  const client = app.client_id
    ? html`<dl><dt>Client ID</dt><dd>${copyable('client-id', app.client_id, 'client ID')}</dd>
        <dt>Client secret</dt><dd>Shown once when generated. Regenerate it if it was lost or leaked.
          <p id="client-secret-last-used">${lastUsed(app.client_secret_last_used_at)}.</p></dd>
        ${previousSecret(app, reply)}</dl>
      ${errorSummary(secretForm, { keep_old: 'Keep the old secret working', confirm: 'Confirm' })}
      <form method="post" action="${appPath(app.id)}/client-secret">${csrfField(reply)}
        <label for="keep_old">Keep the old secret working</label>
        <p class="hint" id="keep_old-hint">So you can deploy the new secret without downtime. A secret still in an earlier window stops at once.</p>
        <select id="keep_old" name="keep_old" aria-describedby="keep_old-hint${secretForm.errors.keep_old ? ' keep_old-error' : ''}"${secretForm.errors.keep_old ? html` aria-invalid="true"` : ''}>
          ${KEEP_OLD.map(([value, label]) => html`<option value="${value}"${value === keepOld ? html` selected` : ''}>${label}</option>`)}
        </select>
        ${fieldError(secretForm.errors, 'keep_old')}
        <label class="check"><input type="checkbox" id="confirm" name="confirm" value="yes" required${secretForm.errors.confirm ? html` aria-invalid="true"` : ''}> I understand the current client secret stops working (at once, or when the window ends)</label>
        <div class="actions"><button type="submit" class="secondary">Regenerate Client Secret</button></div></form>`
    : html`<p>The app has no client ID or secret yet. <a href="${appPath(app.id, 'distribution')}">Enable distribution</a> to generate them.</p>`;
  return html`${apiKey}${card('client-secret-form', 'Client credentials', client)}`;
}

function distributionTab({ app, reply, flash }: TabContext): SafeHtml {
  if (app.client_id && app.distribution_url) {
    return card(
      'distribution-form',
      'Distribution',
      html`<p>Customers install the app into their company from the distribution URL. Share it, or build your own with a <code>state</code>.</p>
      <dl><dt>Distribution URL</dt><dd>${copyable('distribution-url', app.distribution_url, 'distribution URL')}</dd>
        <dt>Client ID</dt><dd>${copyable('client-id', app.client_id, 'client ID')}</dd>
        <dt>Redirect URLs</dt><dd><ul>${app.redirect_urls.map((u) => html`<li><code>${u}</code></li>`)}</ul>
          <p class="hint">Change them in <a href="${appPath(app.id)}">Settings</a>.</p></dd></dl>`,
    );
  }
  const form = formState(flash, 'distribution-form');
  return card(
    'distribution-form',
    'Manage Distribution',
    html`<p>Share the app with other companies: enter where Porter sends users after they authorize it, and
      generate the client ID, client secret and distribution URL. The app becomes <strong>Unlisted</strong>.</p>
      ${errorSummary(form)}
      <form method="post" action="${appPath(app.id)}/distribution">${csrfField(reply)}
        ${textArea({ name: 'redirect_urls', label: 'Redirect URLs', value: form.values?.redirect_urls ?? app.redirect_urls, errors: form.errors, hint: 'One per line. The first one goes into the distribution URL.' })}
        <div class="actions"><button type="submit">Generate Credentials</button></div></form>`,
  );
}

function dangerTab({ app, reply, flash }: TabContext): SafeHtml {
  const form = formState(flash, 'delete-form');
  const label = `Type ${app.name} to confirm`;
  return card(
    'delete-form',
    'Danger zone',
    html`${errorSummary(form, { confirm_name: label })}<form method="post" action="${appPath(app.id)}/delete">${csrfField(reply)}
      <p>Deleting the app revokes its API key and every install and token it issued. This cannot be undone.</p>
      ${textField({ name: 'confirm_name', label, value: '', errors: form.errors, required: true, autocomplete: 'off' })}
      <div class="actions"><button type="submit" class="danger">Delete app</button></div></form>`,
    ' danger-zone',
  );
}

const TAB_VIEWS: Record<AppTab, (ctx: TabContext) => SafeHtml> = {
  settings: settingsTab,
  credentials: credentialsTab,
  distribution: distributionTab,
  listing: listingTab,
  activity: ({ activity }) => card('activity', 'Activity', activityCharts(activity ?? [])),
  debugger: ({ failures }) => card('debugger', 'Install debugger', debuggerTable(failures ?? [])),
  webhooks: ({ app, reply, flash, webhooks }) =>
    webhooks ? webhooksTab({ app, reply, flash, overview: webhooks }) : html``,
  audit: ({ events }) => card('audit', 'Audit log', auditTable(events ?? [])),
  danger: dangerTab,
};

/** What a suspended app's developers read above every tab: the admins' reason and when. */
function suspensionBanner(suspension: TabContext['suspension']): SafeHtml {
  if (!suspension) return html``;
  return html`<div class="alert suspension" role="status" id="suspension">
    <p><strong>Suspended by the platform's admins: ${suspension.reason}</strong></p>
    <p>Since <time datetime="${suspension.at}">${utcMinute(suspension.at)}</time>. Its API key and access tokens are refused and it cannot be installed until the admins lift the suspension.</p></div>`;
}

/** An app's page: its name and status, the tab bar, what the last action left, and one tab. */
export function appPageView(tab: AppTab, ctx: TabContext): SafeHtml {
  const { app, flash } = ctx;
  const tabs = Object.entries(APP_TABS).map(
    ([key, t]) =>
      html`<a href="${appPath(app.id, key as AppTab)}"${key === tab ? html` aria-current="page"` : ''}>${t.label}</a>`,
  );
  return html`<p><a href="/developer">← Built by you</a></p>
    <h1>${app.name} ${statusBadge(app.status)}</h1>
    ${suspensionBanner(ctx.suspension)}
    <nav class="tabs" aria-label="App sections">${tabs}</nav>
    ${flashMessages(flash)}
    ${TAB_VIEWS[tab](ctx)}`;
}
