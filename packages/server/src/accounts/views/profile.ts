import type { FastifyReply } from 'fastify';
import { errorSummary, textField } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { csrfField } from '../../web/layout.js';
import type { Flash } from '../flash.js';
import type { SessionView } from '../sessions.js';

export const NAME_FORM_ID = 'name-form';
export const PASSWORD_FORM_ID = 'password-form';
export const SESSIONS_ID = 'sessions';

function nameSection(reply: FastifyReply, flash: Flash | undefined, name: string): SafeHtml {
  const form = formState(flash, NAME_FORM_ID);
  return html`<section class="card" id="${NAME_FORM_ID}" aria-labelledby="name-h"><h2 id="name-h">Your name</h2>
    ${errorSummary(form)}
    <form method="post" action="/account/name">${csrfField(reply)}
      ${textField({ name: 'name', label: 'Name', value: form.values?.name ?? name, errors: form.errors, required: true, autocomplete: 'name' })}
      <div class="actions"><button type="submit" class="secondary">Save name</button></div></form></section>`;
}

function passwordSection(reply: FastifyReply, flash: Flash | undefined): SafeHtml {
  const form = formState(flash, PASSWORD_FORM_ID);
  const labels = { current_password: 'Current password', password: 'New password' };
  return html`<section class="card" id="${PASSWORD_FORM_ID}" aria-labelledby="password-h"><h2 id="password-h">Password</h2>
    <p>Changing it signs you out of every other session.</p>
    ${errorSummary(form, labels, ['current_password', 'password'])}
    <form method="post" action="/account/password">${csrfField(reply)}
      ${textField({ name: 'current_password', label: labels.current_password, type: 'password', value: '', errors: form.errors, required: true, autocomplete: 'current-password' })}
      ${textField({ name: 'password', label: labels.password, type: 'password', value: '', errors: form.errors, required: true, autocomplete: 'new-password', hint: 'At least 10 characters.' })}
      <div class="actions"><button type="submit" class="secondary">Change password</button></div></form></section>`;
}

function sessionsSection(reply: FastifyReply, sessions: SessionView[]): SafeHtml {
  const rows = sessions.map(
    (
      s,
    ) => html`<tr><td>${s.userAgent ?? 'Unknown browser'}${s.current ? html` <span class="badge">This session</span>` : ''}</td>
      <td class="nowrap">${s.createdAt.slice(0, 16).replace('T', ' ')} UTC</td>
      <td>${s.current ? '' : html`<form method="post" action="/account/sessions/end">${csrfField(reply)}<input type="hidden" name="session" value="${s.id}"><button type="submit" class="link">End<span class="visually-hidden"> the session signed in at ${s.createdAt}</span></button></form>`}</td></tr>`,
  );
  return html`<section class="card" id="${SESSIONS_ID}" aria-labelledby="sessions-h"><h2 id="sessions-h">Your sessions</h2>
    <p>Where you are signed in. End any you do not recognise.</p>
    <table class="stack"><thead><tr><th>Browser</th><th>Signed in</th><th><span class="visually-hidden">Action</span></th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The signed-in person's account: their name, their password, their sessions. */
export function profileView(
  reply: FastifyReply,
  flash: Flash | undefined,
  user: { name: string; email: string },
  sessions: SessionView[],
): SafeHtml {
  return html`<h1>Your account</h1>
    <p class="muted email" data-testid="account-email">Signed in as ${user.email}</p>
    ${flash?.notice ? html`<div class="notice" role="status">${flash.notice}</div>` : ''}
    ${flash?.alert && !flash.form ? html`<div class="alert" role="alert">${flash.alert}</div>` : ''}
    ${nameSection(reply, flash, user.name)}${passwordSection(reply, flash)}${sessionsSection(reply, sessions)}`;
}
