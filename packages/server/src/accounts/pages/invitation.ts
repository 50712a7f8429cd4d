import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import type { InvitationsService } from '../members/invitations.js';
import type { SessionsService } from '../sessions.js';
import { invitationView, JOIN_FORM_ID } from '../views/invitation.js';
import { deadLink, tokenOf } from './mailed-links.js';
import { setSessionCookie } from './session-cookie.js';

interface Deps {
  config: Config;
  invitations: InvitationsService;
  sessions: SessionsService;
}

const registerForm = formSchema({ token: formText, name: formText, password: formText });
const signedOut = { config: { signedOut: true } };

/** `GET /invitation` (the mailed link), `POST /invitation/accept` (signed in) and `/invitation/register` (new account). */
export function invitationPages(app: FastifyInstance, { config, invitations, sessions }: Deps) {
  app.get('/invitation', signedOut, async (request, reply) => {
    const token = tokenOf(request);
    const invitation = await invitations.view(token).catch(() => undefined);
    if (!invitation)
      return sendPage(request, reply, { title: 'Invitation', status: 410, body: deadLink('invitation') });
    const signedInAs = request.viewer?.session.user.email;
    const body = invitationView(reply, request.flash, invitation, { token, signedInAs });
    return sendPage(request, reply, { title: `Join ${invitation.companyName}`, body });
  });

  app.post('/invitation/accept', signedOut, async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer) return reply.redirect('/sign-in', 303);
    const companyId = await invitations.acceptAsUser(tokenOf(request), viewer.session.user);
    await sessions.switchCompany(viewer.session, companyId);
    return reply.redirectWithFlash(request, '/', { notice: 'Welcome: you joined the company.' });
  });

  app.post('/invitation/register', signedOut, async (request, reply) => {
    const token = tokenOf(request);
    const form = {
      page: `/invitation?token=${encodeURIComponent(token)}`,
      id: JOIN_FORM_ID,
      schema: registerForm,
    };
    return handleForm(request, reply, form, async (input) => {
      const { userId } = await invitations.acceptWithNewAccount(token, input);
      setSessionCookie(reply, config, await sessions.open(userId, request.headers['user-agent']));
      // The new session cannot read a flash made for this signed-out request: the start page says it.
      return { to: '/', flash: {} };
    });
  });
}
