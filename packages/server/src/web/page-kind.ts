import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Flash } from '../accounts/flash.js';
import type { Services } from '../services.js';
import { loadViewer } from './viewer.js';

export const FLASH_COOKIE = 'porter_flash';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A page anyone may open signed out (sign-in); every other page sends them to sign in. */
    signedOut?: boolean;
    /** A page a signed-in person may open before confirming their e-mail address (to confirm it). */
    unverified?: boolean;
    /** A multipart form whose scope checks CSRF itself once the body is read (the listing form). */
    csrfAfterBody?: boolean;
  }
  interface FastifyRequest {
    /** What the POST before this GET left for it (Post/Redirect/Get), shown once. */
    flash: Flash | undefined;
  }
  interface FastifyReply {
    /** Ends a POST: stores `flash` for the next GET of `to` and redirects there (303). */
    redirectWithFlash(request: FastifyRequest, to: string, flash: Flash): Promise<FastifyReply>;
  }
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * A signed-out visitor of a page that needs a user goes to sign-in, and comes back after; a
 * person who has not confirmed their e-mail address goes to the page that asks them to.
 */
function requireSignIn(request: FastifyRequest, reply: FastifyReply) {
  const { config } = request.routeOptions;
  if (request.is404 || config.signedOut) return;
  if (!request.viewer) {
    const returnTo = request.method === 'GET' ? request.url : '/';
    return reply.redirect(`/sign-in?return_to=${encodeURIComponent(returnTo)}`, 303);
  }
  if (!request.viewer.session.user.verified && !config.unverified)
    return reply.redirect('/verify-email', 303);
}

/**
 * What every page gets: cookies, form bodies, the viewer (before the body is read), CSRF on
 * every POST, and the one-time flash of Post/Redirect/Get. Only pages pay for these.
 */
export async function pagePlugins(
  scope: FastifyInstance,
  { services, https }: { services: Services; https: boolean },
) {
  await scope.register(fastifyCookie);
  await scope.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await scope.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'porter_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: https },
  });
  scope.decorateRequest('viewer', undefined);
  scope.decorateRequest('flash', undefined);
  scope.addHook('onRequest', loadViewer(services.sessions));
  scope.addHook('onRequest', async (request, reply) => requireSignIn(request, reply));
  scope.addHook('preValidation', (request, reply, done) => {
    if (request.method === 'POST' && !request.routeOptions.config.csrfAfterBody)
      return scope.csrfProtection(request, reply, done);
    done();
  });
  scope.addHook('preHandler', async (request, reply) => {
    const token = request.cookies[FLASH_COOKIE];
    if (request.method !== 'GET' || request.is404 || !token) return;
    const sessionHash = request.viewer?.session.sessionHash ?? null;
    request.flash = await services.flash.take(token, sessionHash, pathOf(request.url));
    if (request.flash) reply.clearCookie(FLASH_COOKIE, { path: '/' });
  });
  scope.decorateReply('redirectWithFlash', async function (this: FastifyReply, request, to, flash) {
    const sessionHash = request.viewer?.session.sessionHash ?? null;
    const token = await services.flash.put(sessionHash, pathOf(to), flash);
    this.setCookie(FLASH_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: https,
      maxAge: 600,
    });
    return this.redirect(to, 303);
  });
}
