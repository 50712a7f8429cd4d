import type { FastifyReply } from 'fastify';
import { textField } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import type { Flash } from '../flash.js';
import { cardForm, tokenField } from './card.js';

export const FORGOT_FORM_ID = 'forgot-password';
export const RESET_FORM_ID = 'reset-password';

/** Asks for the address to send a reset link to. */
export function forgotPasswordView(reply: FastifyReply, flash: Flash | undefined): SafeHtml {
  return cardForm(reply, flash, {
    id: FORGOT_FORM_ID,
    title: 'Forgot your password?',
    intro: 'Enter the e-mail address of your account and we will send you a link to choose a new password.',
    action: '/password/forgot',
    button: 'Send the link',
    fields: ({ values, errors }) =>
      textField({
        name: 'email',
        label: 'Email',
        type: 'email',
        value: values?.email,
        errors,
        required: true,
        autocomplete: 'email',
      }),
    after: html`<p class="muted"><a href="/sign-in">Back to sign-in</a></p>`,
  });
}

/** A reset link's page: the new password. */
export function resetPasswordView(reply: FastifyReply, flash: Flash | undefined, token: string): SafeHtml {
  return cardForm(reply, flash, {
    id: RESET_FORM_ID,
    title: 'Choose a new password',
    intro: 'Setting it signs you out everywhere.',
    action: '/password/reset',
    button: 'Set the new password',
    labels: { password: 'New password' },
    fields: ({ errors }) => html`${tokenField(token)}
      ${textField({ name: 'password', label: 'New password', type: 'password', value: '', errors, required: true, autocomplete: 'new-password', hint: 'At least 10 characters.' })}`,
  });
}
