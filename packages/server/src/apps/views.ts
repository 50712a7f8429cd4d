import type { AuditEvent } from '../db/schema.js';
import { html, type SafeHtml } from '../web/html.js';
import type { AppView } from './service.js';

export type FieldErrors = Record<string, string>;

const STATUS_LABELS: Record<AppView['status'], string> = {
  private: 'Private',
  unlisted: 'Unlisted',
  in_review: 'In review',
  published: 'Published',
  rejected: 'Rejected',
  suspended: 'Suspended',
  deleted: 'Deleted',
};

export function statusBadge(status: AppView['status']): SafeHtml {
  return html`<span class="badge ${status}" data-testid="status">${STATUS_LABELS[status]}</span>`;
}

/** The error message under a field, linked to it by id for screen readers. */
export function fieldError(errors: FieldErrors, field: string): SafeHtml {
  const message = errors[field];
  return message ? html`<p class="field-error" id="${field}-error">${message}</p>` : html``;
}

function described(errors: FieldErrors, field: string): SafeHtml {
  return errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : html``;
}

/** A labelled text input with its error. */
export function textField(opts: {
  name: string;
  label: string;
  value: string | null | undefined;
  errors: FieldErrors;
  type?: string;
  hint?: string;
  required?: boolean;
}): SafeHtml {
  const { name, label, value, errors } = opts;
  return html`<label for="${name}">${label}</label>
    ${opts.hint ? html`<p class="hint" id="${name}-hint">${opts.hint}</p>` : ''}
    <input type="${opts.type ?? 'text'}" id="${name}" name="${name}" value="${value ?? ''}"${opts.required ? html` required` : ''}${described(errors, name)}>
    ${fieldError(errors, name)}`;
}

/** A labelled textarea of one entry per line. */
export function linesField(opts: {
  name: string;
  label: string;
  lines: string[];
  errors: FieldErrors;
  hint: string;
  /** Element id when the same field appears in two forms of a page. */
  id?: string;
}): SafeHtml {
  const { name, errors } = opts;
  const id = opts.id ?? name;
  const error = errors[name];
  return html`<label for="${id}">${opts.label}</label>
    <p class="hint">${opts.hint}</p>
    <textarea id="${id}" name="${name}" rows="3"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${opts.lines.join('\n')}</textarea>
    ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}`;
}

/** Scope checkboxes with the plain words a customer will read. */
export function scopeField(
  registry: Readonly<Record<string, string>>,
  chosen: string[],
  errors: FieldErrors,
): SafeHtml {
  return html`<fieldset${described(errors, 'scopes')}>
    <legend>Scopes the app requests</legend>
    ${Object.entries(registry).map(
      ([
        scope,
        words,
      ]) => html`<label><input type="checkbox" name="scopes" value="${scope}"${chosen.includes(scope) ? html` checked` : ''}>
        <span><code>${scope}</code> — ${words}</span></label>`,
    )}
  </fieldset>
  ${fieldError(errors, 'scopes')}`;
}

/** The fields of an app's settings form (create and edit). */
export function appSettingsFields(
  registry: Readonly<Record<string, string>>,
  app: Partial<AppView>,
  errors: FieldErrors,
): SafeHtml {
  return html`${textField({ name: 'name', label: 'App name', value: app.name, errors, required: true })}
    <label for="description">Description</label>
    <textarea id="description" name="description" rows="3"${described(errors, 'description')}>${app.description ?? ''}</textarea>
    ${fieldError(errors, 'description')}
    ${scopeField(registry, app.scopes ?? [], errors)}
    ${linesField({ name: 'redirect_urls', label: 'Redirect URLs', lines: app.redirect_urls ?? [], errors, hint: 'One per line. https, or http on localhost; custom schemes such as myapp://callback are allowed.' })}
    ${linesField({ name: 'allowed_origins', label: 'Allowed origins', lines: app.allowed_origins ?? [], errors, hint: 'One per line, such as https://app.example.com. Leave empty to allow any.' })}
    ${textField({ name: 'homepage_url', label: 'Homepage URL', value: app.homepage_url, errors, type: 'url' })}
    ${textField({ name: 'logo_url', label: 'Logo URL', value: app.logo_url, errors, type: 'url' })}
    ${textField({ name: 'webhook_url', label: 'Webhook URL', value: app.webhook_url, errors, type: 'url', hint: 'Porter notifies this URL, signed, when a company uninstalls the app.' })}`;
}

/** A secret shown once, with a copy button (shown when JavaScript runs). */
export function secretBox(id: string, label: string, secret: string): SafeHtml {
  return html`<p><strong>${label}</strong></p>
    <div class="secret-box"><code class="secret" id="${id}">${secret}</code>
    <button type="button" class="secondary" data-copy="${id}" hidden>Copy</button></div>
    <p class="hint">Copy it now: Porter stores only a hash and will not show it again.</p>`;
}

const ACTIONS: Record<string, string> = {
  'app.created': 'App created',
  'app.updated': 'Settings changed',
  'app.distribution_enabled': 'Distribution enabled',
  'app.client_secret_regenerated': 'Client secret regenerated',
  'app.api_key_regenerated': 'API key regenerated',
  'app.deleted': 'App deleted',
};

export function auditTable(events: AuditEvent[]): SafeHtml {
  if (events.length === 0) return html`<p class="muted">Nothing recorded yet.</p>`;
  return html`<table><thead><tr><th>When (UTC)</th><th>What</th><th>Who</th></tr></thead><tbody>
    ${events.map(
      (
        e,
      ) => html`<tr><td><time datetime="${e.created_at}">${e.created_at.replace('T', ' ').slice(0, 19)}</time></td>
        <td>${ACTIONS[e.action] ?? e.action}</td><td>${e.actor}</td></tr>`,
    )}</tbody></table>`;
}
