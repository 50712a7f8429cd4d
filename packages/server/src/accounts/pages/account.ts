import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import { parseInput } from '../../lib/validation.js';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import { viewerOf } from '../../web/viewer.js';
import type { PasswordService } from '../password.js';
import type { AccountsService } from '../service.js';
import type { SessionsService } from '../sessions.js';
import { NAME_FORM_ID, PASSWORD_FORM_ID, profileView } from '../views/profile.js';

interface Deps {
  accounts: AccountsService;
  passwords: PasswordService;
  sessions: SessionsService;
}

const nameForm = formSchema({ name: formText });
const passwordForm = formSchema({ current_password: formText, password: formText });
const endForm = formSchema({ session: formText });

/** `GET /account`: the signed-in person's name, password and sessions, each with its form. */
export function accountPages(app: FastifyInstance, { accounts, passwords, sessions }: Deps) {
  app.get('/account', async (request, reply) => {
    const { session } = viewerOf(request);
    const list = await sessions.list(session);
    return sendPage(request, reply, {
      title: 'Your account',
      body: profileView(reply, request.flash, session.user, list),
    });
  });

  app.post('/account/name', async (request, reply) => {
    const { session } = viewerOf(request);
    const form = { page: '/account', id: NAME_FORM_ID, schema: nameForm };
    return handleForm(request, reply, form, async ({ name }) => {
      await accounts.rename(session.user.id, name);
      return { to: '/account', flash: { notice: 'Your name is saved.' } };
    });
  });

  app.post('/account/password', async (request, reply) => {
    const { session } = viewerOf(request);
    const form = { page: '/account', id: PASSWORD_FORM_ID, schema: passwordForm };
    return handleForm(request, reply, form, async (input) => {
      const { endedSessions } = await passwords.changePassword(session, input);
      const notice = `Your password is changed. ${endedSessions} other session(s) ended.`;
      return { to: '/account', flash: { notice } };
    });
  });

  app.post('/account/sessions/end', async (request, reply) => {
    const { session } = viewerOf(request);
    const { session: id } = parseInput(endForm, request.body ?? {});
    if (!(await sessions.end(session, id))) throw new NotFoundError('Session');
    return reply.redirectWithFlash(request, '/account', {
      notice: 'That session is ended: it is signed out.',
    });
  });
}
