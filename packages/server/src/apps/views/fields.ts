import type { FieldIssues } from '../../lib/errors.js';
import { fieldError, invalid, textArea, textField } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import type { AppView } from '../service.js';

export const STATUS_LABELS: Record<AppView['status'], string> = {
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

/** The labels of the settings form, for its error summary. */
export const APP_LABELS: Record<string, string> = { name: 'App name' };

/** The settings form's fields in the order it shows them. */
export const APP_FIELD_ORDER = [
  'name',
  'description',
  'scopes',
  'redirect_urls',
  'allowed_origins',
  'homepage_url',
  'logo_url',
] as const;

/** Scope checkboxes with the plain words a customer will read. */
export function scopeField(
  registry: Readonly<Record<string, string>>,
  chosen: unknown,
  errors: FieldIssues,
  legend = 'Scopes the app requests',
): SafeHtml {
  const list = Array.isArray(chosen) ? chosen : typeof chosen === 'string' ? [chosen] : [];
  return html`<fieldset id="scopes"${invalid(errors, 'scopes')}>
    <legend>${legend}</legend>
    ${Object.entries(registry).map(
      ([
        scope,
        words,
      ]) => html`<label><input type="checkbox" name="scopes" value="${scope}"${list.includes(scope) ? html` checked` : ''}>
        <span><code>${scope}</code> — ${words}</span></label>`,
    )}
  </fieldset>
  ${fieldError(errors, 'scopes')}`;
}

/** The fields of an app's settings form (create and edit), filled from the app or what was typed. */
export function appSettingsFields(
  registry: Readonly<Record<string, string>>,
  app: Partial<Record<keyof AppView, unknown>>,
  errors: FieldIssues,
): SafeHtml {
  return html`${textField({ name: 'name', label: 'App name', value: app.name, errors, required: true })}
    ${textArea({ name: 'description', label: 'Description', value: app.description, errors })}
    ${scopeField(registry, app.scopes, errors)}
    ${textArea({ name: 'redirect_urls', label: 'Redirect URLs', value: app.redirect_urls, errors, hint: 'One per line. https, or http on localhost; custom schemes such as myapp://callback are allowed.' })}
    ${textArea({ name: 'allowed_origins', label: 'Allowed origins', value: app.allowed_origins, errors, hint: 'One per line, such as https://app.example.com. Leave empty to allow any.' })}
    ${textField({ name: 'homepage_url', label: 'Homepage URL', value: app.homepage_url, errors, type: 'url' })}
    ${textField({ name: 'logo_url', label: 'Logo URL', value: app.logo_url, errors, type: 'url' })}`;
}
