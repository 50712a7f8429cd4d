import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { InvalidCredentialsError, TooManyAttemptsError, ValidationError } from '../../lib/errors.js';
import { safeReturnTo } from '../../lib/urls.js';
import { parseInput } from '../../lib/validation.js';
import { formSchema, formText } from '../../web/forms.js';
import { labelOf } from '../../web/labels.js';
import { sendPage } from '../../web/layout.js';
import { SESSION_COOKIE } from '../../web/viewer.js';
import type { SessionsService } from '../sessions.js';
import { signInView } from '../views.js';
import { setSessionCookie } from './session-cookie.js';

const signInForm = formSchema({ email: formText, password: formText, return_to: formText });

/** Why a sign-in was refused, in words for the person at the form. */
function refusal(err: unknown): string {
  if (err instanceof ValidationError)
    return Object.entries(err.fields)
      .map(([k, v]) => `${labelOf(k)} ${v}.`)
      .join(' ');
  if (err instanceof InvalidCredentialsError || err instanceof TooManyAttemptsError) return err.message;
  throw err;
}

/** `GET /sign-in` and `POST /sign-in`, and `POST /sign-out`. */
export function signInPages(app: FastifyInstance, deps: { config: Config; sessions: SessionsService }) {
  const { config, sessions } = deps;
  const signedOut = { config: { signedOut: true } };

  app.get('/sign-in', signedOut, async (request, reply) => {
    const returnTo = safeReturnTo((request.query as { return_to?: unknown }).return_to);
    if (request.viewer) return reply.redirect(returnTo, 303);
    const body = signInView(reply, request.flash, { returnTo, signUpOpen: config.signUp === 'open' });
    return sendPage(request, reply, { title: 'Sign in', body });
  });

  app.post('/sign-in', signedOut, async (request, reply) => {
    const body = z.object({ return_to: z.unknown() }).partial().catch({}).parse(request.body);
    const returnTo = safeReturnTo(body.return_to);
    try {
      const { token } = await sessions.signIn(
        parseInput(signInForm, request.body ?? {}),
        request.ip,
        request.headers['user-agent'],
      );
      if (request.viewer) await sessions.signOut(request.viewer.session);
      setSessionCookie(reply, config, token);
      return reply.redirect(returnTo, 303);
    } catch (err) {
      const again = `/sign-in?return_to=${encodeURIComponent(returnTo)}`;
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return reply.redirectWithFlash(request, again, {
        alert: refusal(err),
        form: {
          id: 'sign-in',
          errors: {},
          values: { email: typeof email === 'string' ? email.slice(0, 254) : '' },
        },
      });
    }
  });

  app.post('/sign-out', signedOut, async (request, reply) => {
    if (request.viewer) await sessions.signOut(request.viewer.session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });
}
