import type { Flash } from '../accounts/flash.js';
import type { FieldIssues } from '../lib/errors.js';
import { html, type SafeHtml } from './html.js';
import { labelOf } from './labels.js';

// Shared pieces of page views: fields with their errors, the error summary, notices, and
// values with a copy button.

/** The error message under a field, linked to it by id for screen readers. */
export function fieldError(errors: FieldIssues, field: string, id = field): SafeHtml {
  const message = errors[field];
  return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : html``;
}

/** `aria-invalid` and the link to the message, on an invalid field. */
export function invalid(errors: FieldIssues, field: string, id = field): SafeHtml {
  return errors[field] ? html` aria-invalid="true" aria-describedby="${id}-error"` : html``;
}

/** A labelled text input with its hint and error. */
export function textField(opts: {
  name: string;
  label: string;
  value: unknown;
  errors: FieldIssues;
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
}): SafeHtml {
  const { name, label, errors } = opts;
  const value = typeof opts.value === 'string' ? opts.value : '';
  return html`<label for="${name}">${label}</label>
    ${opts.hint ? html`<p class="hint" id="${name}-hint">${opts.hint}</p>` : ''}
    <input type="${opts.type ?? 'text'}" id="${name}" name="${name}" value="${value}"${opts.required ? html` required` : ''}${opts.autocomplete ? html` autocomplete="${opts.autocomplete}"` : ''}${invalid(errors, name)}>
    ${fieldError(errors, name)}`;
}

/** A labelled textarea; `lines` fills it one entry per line. */
export function textArea(opts: {
  name: string;
  label: string;
  value: unknown;
  errors: FieldIssues;
  hint?: string;
}): SafeHtml {
  const { name, errors } = opts;
  const value = Array.isArray(opts.value)
    ? opts.value.join('\n')
    : typeof opts.value === 'string'
      ? opts.value
      : '';
  return html`<label for="${name}">${opts.label}</label>
    ${opts.hint ? html`<p class="hint">${opts.hint}</p>` : ''}
    <textarea id="${name}" name="${name}" rows="3"${invalid(errors, name)}>${value}</textarea>
    ${fieldError(errors, name)}`;
}

/**
 * The summary at the top of a refused form: what went wrong, each field's problem linking to
 * the field, named by its label. `role="alert"` so it is announced on arrival.
 */
export function errorSummary(
  state: { errors: FieldIssues; alert?: string },
  labels: Record<string, string> = {},
  order: readonly string[] = [],
): SafeHtml {
  // In the form's order, so the summary reads like the form.
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const entries = Object.entries(state.errors).sort(([a], [b]) => rank(a) - rank(b));
  if (entries.length === 0 && !state.alert) return html``;
  return html`<div class="alert" role="alert">
    ${state.alert ? html`<p>${state.alert}</p>` : html`<p><strong>Please correct ${entries.length === 1 ? 'this field' : `these ${entries.length} fields`}:</strong></p>`}
    ${entries.length ? html`<ul>${entries.map(([field, message]) => html`<li><a href="#${field}">${labelOf(field, labels)}</a>: ${message}</li>`)}</ul>` : ''}
  </div>`;
}

/** A value with a Copy button (shown when the script runs); the value stays selectable text. */
export function copyable(id: string, value: string, label: string): SafeHtml {
  return html`<span class="copyable"><code id="${id}">${value}</code>
    <button type="button" class="secondary" data-copy="${id}" aria-label="Copy ${label}" hidden>Copy</button></span>`;
}

/** The notice and the new credentials a flash brings, at the top of the page it lands on. */
export function flashMessages(flash: Flash | undefined): SafeHtml {
  if (!flash) return html``;
  const secret = flash.secret;
  return html`${flash.notice ? html`<div class="notice" role="status">${flash.notice}</div>` : ''}
    ${
      secret
        ? html`<section class="card" aria-label="New credential"><h2>${secret.title}</h2>
      ${secret.items.map((item) => html`<p><strong>${item.label}</strong></p><div class="secret-box">${copyable(item.id, item.value, item.label)}</div>`)}
      ${secret.items.some((i) => i.secret) ? html`<p class="hint">Copy it now: Porter stores only a hash and will not show it again.</p>` : ''}
    </section>`
        : ''
    }`;
}
