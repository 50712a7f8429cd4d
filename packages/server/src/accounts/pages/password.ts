import type { FastifyInstance } from 'fastify';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import type { PasswordService } from '../password.js';
import { FORGOT_FORM_ID, forgotPasswordView, RESET_FORM_ID, resetPasswordView } from '../views/password.js';
import { deadLink, tokenOf } from './mailed-links.js';

const forgotForm = formSchema({ email: formText });
const resetForm = formSchema({ token: formText, password: formText });
const signedOut = { config: { signedOut: true } };

/** `GET`/`POST /password/forgot` and `GET`/`POST /password/reset` (the mailed link). */
export function passwordResetPages(app: FastifyInstance, { passwords }: { passwords: PasswordService }) {
  app.get('/password/forgot', signedOut, async (request, reply) =>
    sendPage(request, reply, {
      title: 'Forgot your password?',
      body: forgotPasswordView(reply, request.flash),
    }),
  );

  app.post('/password/forgot', signedOut, async (request, reply) => {
    const form = { page: '/password/forgot', id: FORGOT_FORM_ID, schema: forgotForm };
    return handleForm(request, reply, form, async (input) => {
      const { email } = await passwords.requestReset(input, request.ip);
      // The same words whether or not the address has an account.
      const notice = `If ${email} has a Porter account, we sent it a link to choose a new password. It works once, for one hour.`;
      return { to: '/password/forgot', flash: { notice } };
    });
  });

  app.get('/password/reset', signedOut, async (request, reply) => {
    const token = tokenOf(request);
    const works = await passwords.resetLinkWorks(token);
    const body = works ? resetPasswordView(reply, request.flash, token) : deadLink('password reset');
    return sendPage(request, reply, { title: 'Choose a new password', status: works ? 200 : 410, body });
  });

  app.post('/password/reset', signedOut, async (request, reply) => {
    const page = `/password/reset?token=${encodeURIComponent(tokenOf(request))}`;
    const form = { page, id: RESET_FORM_ID, schema: resetForm };
    return handleForm(request, reply, form, async (input) => {
      await passwords.resetPassword(input.token, input);
      const notice =
        'Your password is changed, and every session of your account was ended. Sign in with the new password.';
      return { to: '/sign-in', flash: { notice } };
    });
  });
}
