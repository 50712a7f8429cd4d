import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.js';
import { InvalidCredentialsError, TooManyAttemptsError, ValidationError } from '../lib/errors.js';
import { safeReturnTo } from '../lib/urls.js';
import { html } from '../web/html.js';
import { csrfField, sendPage } from '../web/layout.js';
import { requireSignIn, SESSION_COOKIE, viewerOf } from '../web/viewer.js';
import type { AccountsService } from './service.js';
import type { SessionsService } from './sessions.js';

interface Deps {
  config: Config;
  accounts: AccountsService;
  sessions: SessionsService;
}

const formBody = z.record(z.string(), z.unknown()).catch({});
const switchBody = z.object({ company_id: z.string().min(1).max(64), return_to: z.string().optional() });

function signInPage(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { email?: string; error?: string; status?: number; returnTo: string },
) {
  return sendPage(request, reply, {
    title: 'Sign in',
    status: opts.status,
    body: html`<div class="card narrow">
      <h1>Sign in to Porter</h1>
      ${opts.error ? html`<div class="alert" role="alert" id="sign-in-error">${opts.error}</div>` : ''}
      <form method="post" action="/sign-in" novalidate>
        ${csrfField(reply)}
        <input type="hidden" name="return_to" value="${opts.returnTo}">
        <label for="email">Email</label>
        <input type="email" id="email" name="email" autocomplete="username" required maxlength="254" value="${opts.email ?? ''}"
          ${opts.error ? html`aria-describedby="sign-in-error"` : ''}>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required maxlength="1024">
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>
    </div>`,
  });
}

/** Sign-in and sign-out pages, the company switcher and the start page. */
export function accountRoutes(app: FastifyInstance, { config, sessions }: Deps) {
  const secureCookie = config.publicUrl.startsWith('https:');

  app.get('/sign-in', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const returnTo = safeReturnTo(query.return_to);
    if (request.viewer) return reply.redirect(returnTo, 303);
    return signInPage(request, reply, { returnTo });
  });

  app.post('/sign-in', async (request, reply) => {
    const body = formBody.parse(request.body);
    const returnTo = safeReturnTo(body.return_to);
    const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
    try {
      const { token } = await sessions.signIn(body, request.ip);
      if (request.viewer) await sessions.signOut(request.viewer.session);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie,
        maxAge: config.sessionTtlSeconds,
      });
      return reply.redirect(returnTo, 303);
    } catch (err) {
      if (err instanceof ValidationError) {
        const message = Object.entries(err.fields).map(
          ([k, v]) => `${k === 'email' ? 'Email' : 'Password'} ${v}.`,
        );
        return signInPage(request, reply, { email, returnTo, status: 400, error: message.join(' ') });
      }
      if (err instanceof InvalidCredentialsError || err instanceof TooManyAttemptsError) {
        if (err instanceof TooManyAttemptsError) reply.header('retry-after', String(err.retryAfterSeconds));
        return signInPage(request, reply, { email, returnTo, status: err.status, error: err.message });
      }
      throw err;
    }
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.viewer) await sessions.signOut(request.viewer.session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });

  app.post('/account/company', { preHandler: requireSignIn }, async (request, reply) => {
    const parsed = switchBody.safeParse(request.body);
    if (!parsed.success) throw new ValidationError({ company_id: 'is required' });
    await sessions.switchCompany(viewerOf(request).session, parsed.data.company_id);
    return reply.redirect(safeReturnTo(parsed.data.return_to), 303);
  });

  app.get('/', { preHandler: requireSignIn }, async (request, reply) => {
    const viewer = viewerOf(request);
    const rows = viewer.companies.map(
      (c) => html`<tr${c.id === viewer.company?.id ? html` aria-current="true"` : ''}>
        <td>${c.name}${c.is_test ? html` <span class="badge test">Test</span>` : ''}${c.id === viewer.company?.id ? html` <span class="badge">Active</span>` : ''}</td>
        <td>${c.role}</td><td>${c.region}</td><td class="hide-narrow"><code>${c.id}</code></td></tr>`,
    );
    return sendPage(request, reply, {
      title: 'Home',
      body: html`<h1>Welcome, ${viewer.session.user.name}</h1>
      <section class="card" aria-labelledby="companies-h">
        <h2 id="companies-h">Your companies</h2>
        ${
          viewer.companies.length === 0
            ? html`<p class="muted">You are not a member of any company yet. Ask an owner to add you.</p>`
            : html`<table><thead><tr><th>Company</th><th>Role</th><th>Region</th><th class="hide-narrow">ID</th></tr></thead><tbody>${rows}</tbody></table>`
        }
      </section>`,
    });
  });
}
