import type { FastifyReply } from 'fastify';
import { errorSummary, textField } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { csrfField } from '../../web/layout.js';
import type { Flash } from '../flash.js';
import type { InvitationView } from '../members/invitations.js';
import { tokenField } from './card.js';

export const JOIN_FORM_ID = 'join-form';

function newAccountForm(
  reply: FastifyReply,
  flash: Flash | undefined,
  invitation: InvitationView,
  token: string,
) {
  const form = formState(flash, JOIN_FORM_ID);
  return html`<p>Create your account for <strong>${invitation.email}</strong> to accept.</p>
    ${errorSummary(form, { name: 'Your name' })}
    <form method="post" action="/invitation/register" novalidate>${csrfField(reply)}${tokenField(token)}
      ${textField({ name: 'name', label: 'Your name', value: form.values?.name, errors: form.errors, required: true, autocomplete: 'name' })}
      ${textField({ name: 'password', label: 'Password', type: 'password', value: '', errors: form.errors, required: true, autocomplete: 'new-password', hint: 'At least 10 characters.' })}
      <div class="actions"><button type="submit">Create account and join</button></div></form>`;
}

function choice(
  reply: FastifyReply,
  flash: Flash | undefined,
  invitation: InvitationView,
  ctx: { token: string; signedInAs: string | undefined },
): SafeHtml {
  const { token, signedInAs } = ctx;
  if (signedInAs?.toLowerCase() === invitation.email.toLowerCase())
    return html`<form method="post" action="/invitation/accept">${csrfField(reply)}${tokenField(token)}
      <div class="actions"><button type="submit">Accept and join ${invitation.companyName}</button></div></form>`;
  if (signedInAs)
    return html`<p>This invitation is for <strong>${invitation.email}</strong>, and you are signed in as ${signedInAs}.
      Sign out, then open the link again.</p>`;
  if (invitation.accountExists) {
    const back = `/invitation?token=${encodeURIComponent(token)}`;
    return html`<p><a class="button" href="/sign-in?return_to=${encodeURIComponent(back)}">Sign in as ${invitation.email} to accept</a></p>
      <p class="muted"><a href="/password/forgot">Forgot your password?</a></p>`;
  }
  return newAccountForm(reply, flash, invitation, token);
}

/** An invitation link's page: who invites whom to what, and the one way to accept for this visitor. */
export function invitationView(
  reply: FastifyReply,
  flash: Flash | undefined,
  invitation: InvitationView,
  ctx: { token: string; signedInAs: string | undefined },
): SafeHtml {
  const alert = flash?.alert && !flash.form ? flash.alert : undefined;
  return html`<section class="card narrow" id="${JOIN_FORM_ID}" aria-labelledby="invitation-h">
      <h1 id="invitation-h">Join ${invitation.companyName}</h1>
      ${alert ? html`<div class="alert" role="alert">${alert}</div>` : ''}
      <p>${invitation.inviterName ?? 'The operator of this Porter'} invited you to join <strong>${invitation.companyName}</strong> as <strong>${invitation.role}</strong>.</p>
      ${choice(reply, flash, invitation, ctx)}
    </section>`;
}
