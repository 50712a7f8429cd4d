import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CompanyWithRole } from '../accounts/repo.js';
import type { AccountsService } from '../accounts/service.js';
import type { SessionsService, SignedIn } from '../accounts/sessions.js';

export const SESSION_COOKIE = 'porter_session';

/** Who is looking at a page: the session, the user's companies and the active one. */
export interface Viewer {
  session: SignedIn;
  companies: CompanyWithRole[];
  company: CompanyWithRole | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | undefined;
  }
}

/** A hook that loads the viewer from the session cookie (one query for the session, one for companies). */
export function loadViewer(sessions: SessionsService, accounts: AccountsService) {
  return async (request: FastifyRequest) => {
    const session = await sessions.resolve(request.cookies[SESSION_COOKIE]);
    if (!session) {
      request.viewer = undefined;
      return;
    }
    const companies = await accounts.listCompanies(session.user.id);
    const company = companies.find((c) => c.id === session.activeCompanyId) ?? companies[0];
    request.viewer = { session, companies, company };
  };
}

/** A preHandler for pages that need a signed-in user: others go to sign-in and come back. */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.viewer) return;
  const returnTo = request.method === 'GET' ? request.url : '/';
  return reply.redirect(`/sign-in?return_to=${encodeURIComponent(returnTo)}`, 303);
}

/** The viewer of a page behind requireSignIn. */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new Error('viewerOf used on a page without requireSignIn');
  return request.viewer;
}
