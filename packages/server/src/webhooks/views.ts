import type { FastifyReply } from 'fastify';
import type { Flash } from '../accounts/flash.js';
import type { AppView } from '../apps/service.js';
import { card } from '../apps/views/card.js';
import { errorSummary, textField } from '../web/fields.js';
import { formState } from '../web/forms.js';
import { html, type SafeHtml } from '../web/html.js';
import { csrfField } from '../web/layout.js';
import type { DeliveryView } from './service.js';

/** What the Webhooks tab shows: the URL, the rotation in progress, the latest deliveries. */
export interface WebhooksOverview {
  url: string | null;
  previousSecretUntil: string | null;
  deliveries: DeliveryView[];
}

const STATUS: Record<DeliveryView['status'], string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
};

const EVENT_HINT =
  'Porter POSTs app.installed, app.uninstalled, app.scopes_updated and app.suspended here, signed with the secret below. https only.';

function when(iso: string | null): SafeHtml {
  if (!iso) return html`—`;
  return html`<time datetime="${iso}"><span class="nowrap">${iso.slice(0, 10)}</span> <span class="nowrap">${iso.slice(11, 19)}</span></time>`;
}

function urlCard(app: AppView, reply: FastifyReply, flash: Flash | undefined): SafeHtml {
  const form = formState(flash, 'webhook-url-form');
  return card(
    'webhook-url-form',
    'Endpoint',
    html`${errorSummary(form, { webhook_url: 'Webhook URL' })}<form method="post" action="/developer/apps/${app.id}/webhooks/url">${csrfField(reply)}
      ${textField({ name: 'webhook_url', label: 'Webhook URL', value: form.values?.webhook_url ?? app.webhook_url ?? '', errors: form.errors, type: 'url', hint: EVENT_HINT })}
      <div class="actions"><button type="submit">Save webhook URL</button></div></form>`,
  );
}

function secretCard(
  app: AppView,
  reply: FastifyReply,
  flash: Flash | undefined,
  until: string | null,
): SafeHtml {
  const form = formState(flash, 'webhook-secret-form');
  const overlap = until
    ? html`<p class="notice" role="status">The previous secret also signs every delivery until ${when(until)} UTC: each carries two <code>v1=</code> signatures until then.</p>`
    : '';
  return card(
    'webhook-secret-form',
    'Signing secret',
    html`<p>Each delivery carries <code>Porter-Signature: t=…,v1=…</code>, an HMAC-SHA256 of the timestamp and the body with this secret. Verify it before trusting a delivery.</p>
      ${overlap}
      <form method="post" action="/developer/apps/${app.id}/webhooks/secret">${csrfField(reply)}
        <button type="submit" class="secondary">Reveal signing secret</button></form>
      ${errorSummary(form)}
      <form method="post" action="/developer/apps/${app.id}/webhooks/rotate">${csrfField(reply)}
        <label class="check"><input type="checkbox" id="confirm" name="confirm" value="yes" required${form.errors.confirm ? html` aria-invalid="true"` : ''}> I understand a new secret signs from now on; the current one also signs for 24 hours</label>
        <div class="actions"><button type="submit" class="secondary">Rotate signing secret</button></div></form>`,
  );
}

/** Every attempt of a delivery, folded: when, the answer or why there was none, how long it took. */
function attemptLog(d: DeliveryView): SafeHtml {
  const count = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  if (d.attempt_log.length === 0) return html`${count}`;
  return html`<details><summary>${count}</summary><ol class="attempts">${d.attempt_log.map(
    (a) =>
      html`<li value="${a.number}">${when(a.started_at)}: ${a.status_code ?? 'no answer'}, ${a.duration_ms} ms${a.error ? html` — ${a.error}` : ''}</li>`,
  )}</ol></details>`;
}

function deliveryRow(app: AppView, reply: FastifyReply, d: DeliveryView): SafeHtml {
  const response = d.last_status_code ?? (d.last_error ? 'No answer' : '—');
  return html`<tr><td>${when(d.created_at)}</td>
    <td><code>${d.type}</code>${d.sequence !== null ? html` <span class="muted">#${d.sequence}</span>` : ''}</td>
    <td><span class="badge ${d.status}">${STATUS[d.status]}</span></td>
    <td data-label="Response">${response}${d.last_error ? html`<br><span class="hint">${d.last_error}</span>` : ''}</td>
    <td>${attemptLog(d)}</td>
    <td><form method="post" action="/developer/apps/${app.id}/webhooks/deliveries/${d.id}/redeliver">${csrfField(reply)}
      <button type="submit" class="secondary" aria-label="Redeliver ${d.type} of ${d.created_at}">Redeliver</button></form></td></tr>`;
}

function deliveriesCard(app: AppView, reply: FastifyReply, deliveries: DeliveryView[]): SafeHtml {
  const table = deliveries.length
    ? html`<table class="stack"><thead><tr><th>When (UTC)</th><th>Event</th><th>Status</th><th>Response</th><th>Attempts</th><th><span class="visually-hidden">Action</span></th></tr></thead>
      <tbody>${deliveries.map((d) => deliveryRow(app, reply, d))}</tbody></table>`
    : html`<p class="muted">No deliveries yet.</p>`;
  const test = app.webhook_url
    ? html`<form method="post" action="/developer/apps/${app.id}/webhooks/test">${csrfField(reply)}
        <button type="submit" class="secondary">Send test event</button></form>`
    : html`<p class="hint">Set a webhook URL to send a test event.</p>`;
  return card(
    'webhook-deliveries',
    'Deliveries',
    html`<p>A failed delivery is retried for about 32 hours (after 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 2 h, 4 h, then every 8 h). Redeliver sends the same event again now.</p>
      ${test}${table}`,
  );
}

/** The app's Webhooks tab: the URL, the signing secret (reveal, rotate), the latest deliveries. */
export function webhooksTab(ctx: {
  app: AppView;
  reply: FastifyReply;
  flash: Flash | undefined;
  overview: WebhooksOverview;
}): SafeHtml {
  const { app, reply, flash, overview } = ctx;
  return html`${urlCard(app, reply, flash)}${secretCard(app, reply, flash, overview.previousSecretUntil)}${deliveriesCard(app, reply, overview.deliveries)}`;
}
