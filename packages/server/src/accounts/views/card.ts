import type { FastifyReply } from 'fastify';
import { errorSummary, flashMessages } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { csrfField } from '../../web/layout.js';
import type { Flash } from '../flash.js';

/** One form in a narrow card, the way every account page asks for something. */
export interface CardForm {
  /** The form's id (the section a refused form scrolls back to). */
  id: string;
  title: string;
  intro?: SafeHtml | string;
  action: string;
  /** The fields, given the refused form's state. */
  fields: (state: ReturnType<typeof formState>) => SafeHtml;
  button: string;
  /** Below the form: links to related pages. */
  after?: SafeHtml;
  /** Field labels for the error summary, when a field is named otherwise. */
  labels?: Record<string, string>;
}

/** A page of one form: the flash's notice, the error summary, the fields, the button. */
export function cardForm(reply: FastifyReply, flash: Flash | undefined, form: CardForm): SafeHtml {
  const state = formState(flash, form.id);
  return html`<section class="card narrow" id="${form.id}" aria-labelledby="${form.id}-h">
      <h1 id="${form.id}-h">${form.title}</h1>
      ${flash?.form ? '' : flashMessages(flash)}${flash?.alert && !flash.form ? html`<div class="alert" role="alert">${flash.alert}</div>` : ''}
      ${form.intro ? html`<p>${form.intro}</p>` : ''}
      ${errorSummary(state, form.labels)}
      <form method="post" action="${form.action}" novalidate>
        ${csrfField(reply)}
        ${form.fields(state)}
        <div class="actions"><button type="submit">${form.button}</button></div>
      </form>
      ${form.after ?? ''}
    </section>`;
}

/** A page that only says something (a dead link, a closed door), with a way on. */
export function messageCard(title: string, body: SafeHtml | string, links: SafeHtml = html``): SafeHtml {
  return html`<section class="card narrow" aria-labelledby="message-h">
      <h1 id="message-h">${title}</h1>
      <p>${body}</p>
      ${links}
    </section>`;
}

/** A hidden field carrying a mailed link's secret from its page to the form's POST. */
export function tokenField(token: string): SafeHtml {
  return html`<input type="hidden" name="token" value="${token}">`;
}
