import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { TooManyAttemptsError } from '../../lib/errors.js';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import { viewerOf } from '../../web/viewer.js';
import type { RegistrationService } from '../registration.js';
import type { SessionsService } from '../sessions.js';
import {
  FIRST_COMPANY_FORM_ID,
  firstCompanyView,
  SIGN_UP_FORM_ID,
  signUpRefusedView,
  signUpView,
  verifyLinkView,
  verifyPendingView,
} from '../views/registration.js';
import { deadLink, tokenOf } from './mailed-links.js';
import { setSessionCookie } from './session-cookie.js';

interface Deps {
  config: Config;
  registration: RegistrationService;
  sessions: SessionsService;
}

const signUpForm = formSchema({ name: formText, email: formText, password: formText });
const signedOut = { config: { signedOut: true } };

/** `GET`/`POST /sign-up`: a new, unverified account and its verification mail. */
function signUpPages(app: FastifyInstance, { registration }: Deps) {
  app.get('/sign-up', signedOut, async (request, reply) => {
    if (request.viewer) return reply.redirect('/', 303);
    const refusal = registration.refusal();
    const body = refusal ? signUpRefusedView(refusal) : signUpView(reply, request.flash);
    return sendPage(request, reply, { title: 'Create your account', status: refusal ? 403 : 200, body });
  });

  app.post('/sign-up', signedOut, async (request, reply) => {
    const form = { page: '/sign-up', id: SIGN_UP_FORM_ID, schema: signUpForm };
    return handleForm(request, reply, form, async (input) => {
      const { email } = await registration.signUp(input, request.ip);
      const notice = `We sent a link to ${email}. Open it to confirm your address, then you are in. (Nothing arrived? Check the spam folder, or sign in to send a new one.)`;
      return { to: '/sign-in', flash: { notice } };
    });
  });
}

/** `GET`/`POST /verify-email` (the mailed link, spent by its button) and `POST /verify-email/resend`. */
function verifyPages(app: FastifyInstance, { config, registration, sessions }: Deps) {
  app.get('/verify-email', signedOut, async (request, reply) => {
    const token = tokenOf(request);
    const viewer = request.viewer;
    if (!token && viewer && !viewer.session.user.verified) {
      const body = verifyPendingView(reply, request.flash, viewer.session.user.email);
      return sendPage(request, reply, { title: 'Check your inbox', body });
    }
    if (!token) return reply.redirect('/', 303);
    const works = await registration.verificationLinkWorks(token);
    const body = works ? verifyLinkView(reply, token) : deadLink('confirmation');
    return sendPage(request, reply, {
      title: 'Confirm your e-mail address',
      status: works ? 200 : 410,
      body,
    });
  });

  app.post('/verify-email', signedOut, async (request, reply) => {
    const userId = await registration.verifyEmail(tokenOf(request));
    // The link proved the address: sign in here, replacing whatever session this browser had.
    if (request.viewer) await sessions.signOut(request.viewer.session);
    setSessionCookie(reply, config, await sessions.open(userId, request.headers['user-agent']));
    return reply.redirect('/welcome', 303);
  });

  app.post('/verify-email/resend', { config: { unverified: true } }, async (request, reply) => {
    const viewer = viewerOf(request);
    try {
      await registration.resendVerification(viewer.session.user.id, request.ip);
    } catch (err) {
      if (!(err instanceof TooManyAttemptsError)) throw err;
      return reply.redirectWithFlash(request, '/verify-email', { alert: err.message });
    }
    return reply.redirectWithFlash(request, '/verify-email', {
      notice: `We sent a new link to ${viewer.session.user.email}.`,
    });
  });
}

/** `GET`/`POST /welcome`: after verification, the person's first company (name and region). */
function firstCompanyPages(app: FastifyInstance, { config, registration, sessions }: Deps) {
  const regions = Object.keys(config.regions).length ? Object.keys(config.regions) : ['US'];
  const schema = formSchema({
    name: formText,
    region: z.enum(regions, { error: 'choose a region from the list' }),
  });

  app.get('/welcome', async (request, reply) => {
    const viewer = viewerOf(request);
    if (viewer.companies.length > 0) return reply.redirect('/', 303);
    return sendPage(request, reply, {
      title: 'Create your company',
      body: firstCompanyView(reply, request.flash, regions),
    });
  });

  app.post('/welcome', async (request, reply) => {
    const { session } = viewerOf(request);
    const form = { page: '/welcome', id: FIRST_COMPANY_FORM_ID, schema };
    return handleForm(request, reply, form, async ({ name, region }) => {
      const company = await registration.createFirstCompany(session.user, { name, region });
      await sessions.switchCompany(session, company.id);
      return { to: '/', flash: { notice: `${company.name} is ready. Invite your team from Members.` } };
    });
  });
}

/** Sign-up, e-mail verification and the first company. */
export function registrationPages(app: FastifyInstance, deps: Deps) {
  signUpPages(app, deps);
  verifyPages(app, deps);
  firstCompanyPages(app, deps);
}
