import type { FastifyReply } from 'fastify';
import { textField } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { csrfField } from '../../web/layout.js';
import type { Flash } from '../flash.js';
import { cardForm, messageCard, tokenField } from './card.js';

export const SIGN_UP_FORM_ID = 'sign-up';
export const FIRST_COMPANY_FORM_ID = 'first-company';

/** Name, e-mail address and password of a new account. */
export function signUpView(reply: FastifyReply, flash: Flash | undefined): SafeHtml {
  return cardForm(reply, flash, {
    id: SIGN_UP_FORM_ID,
    title: 'Create your Porter account',
    action: '/sign-up',
    button: 'Create account',
    fields: ({ values, errors }) => html`
      ${textField({ name: 'name', label: 'Your name', value: values?.name, errors, required: true, autocomplete: 'name' })}
      ${textField({ name: 'email', label: 'Email', type: 'email', value: values?.email, errors, required: true, autocomplete: 'email' })}
      ${textField({ name: 'password', label: 'Password', type: 'password', value: '', errors, required: true, autocomplete: 'new-password', hint: 'At least 10 characters.' })}`,
    labels: { name: 'Your name' },
    after: html`<p class="muted">Already have an account? <a href="/sign-in">Sign in</a></p>`,
  });
}

/** Sign-up is not open here: by invitation, or closed. */
export function signUpRefusedView(refusal: string): SafeHtml {
  return messageCard('Sign-up is not open', refusal, html`<p><a href="/sign-in">Sign in</a></p>`);
}

/** A verification link's page: one button spends it (a mail scanner's GET does not). */
export function verifyLinkView(reply: FastifyReply, token: string): SafeHtml {
  return html`<section class="card narrow" aria-labelledby="verify-h">
      <h1 id="verify-h">Confirm your e-mail address</h1>
      <p>Confirm that this address is yours to finish creating your account.</p>
      <form method="post" action="/verify-email">${csrfField(reply)}${tokenField(token)}
        <div class="actions"><button type="submit">Confirm my address</button></div></form>
    </section>`;
}

/** A signed-in, unverified person: what to do, and a new link. */
export function verifyPendingView(reply: FastifyReply, flash: Flash | undefined, email: string): SafeHtml {
  return html`<section class="card narrow" aria-labelledby="pending-h">
      <h1 id="pending-h">Check your inbox</h1>
      ${flash?.notice ? html`<div class="notice" role="status">${flash.notice}</div>` : ''}
      ${flash?.alert ? html`<div class="alert" role="alert">${flash.alert}</div>` : ''}
      <p>We sent a link to <strong>${email}</strong>. Open it to confirm the address; until then this account can do nothing else.</p>
      <form method="post" action="/verify-email/resend">${csrfField(reply)}
        <div class="actions"><button type="submit" class="secondary">Send a new link</button></div></form>
    </section>`;
}

/** After verification: the person's first company, with its region. */
export function firstCompanyView(reply: FastifyReply, flash: Flash | undefined, regions: string[]): SafeHtml {
  return cardForm(reply, flash, {
    id: FIRST_COMPANY_FORM_ID,
    title: 'Create your company',
    intro:
      'Your address is confirmed. Create the company you will work in: you will be its owner, and can invite your team.',
    action: '/welcome',
    button: 'Create company',
    labels: { name: 'Company name' },
    fields: ({ values, errors }) => html`
      ${textField({ name: 'name', label: 'Company name', value: values?.name, errors, required: true, autocomplete: 'organization' })}
      <label for="region">Region</label>
      <p class="hint" id="region-hint">Where the company's data and API live.</p>
      <select id="region" name="region" aria-describedby="region-hint">
        ${regions.map((r) => html`<option value="${r}"${values?.region === r ? html` selected` : ''}>${r}</option>`)}
      </select>`,
  });
}
