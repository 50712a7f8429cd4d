import type { FastifyRequest } from 'fastify';
import type { CompanyWithRole } from '../accounts/service.js';
import type { SessionsService, SignedIn } from '../accounts/sessions.js';
import type { Actor } from '../audit/service.js';
import { ForbiddenError } from '../lib/errors.js';

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

/** A hook that loads the viewer from the session cookie: the session and its companies in one query. */
export function loadViewer(sessions: SessionsService) {
  return async (request: FastifyRequest) => {
    const found = await sessions.resolve(request.cookies[SESSION_COOKIE]);
    if (!found) {
      request.viewer = undefined;
      return;
    }
    const { session, companies } = found;
    const company = companies.find((c) => c.id === session.activeCompanyId) ?? companies[0];
    request.viewer = { session, companies, company };
  };
}

/** The viewer of a page that needs a signed-in user (every page not marked `signedOut`). */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new Error('viewerOf used on a signed-out page');
  return request.viewer;
}

/** The signed-in user as an audited actor, and the company active in their header. */
export function actingAs(request: FastifyRequest): {
  viewer: Viewer;
  actor: Actor & { kind: 'user' };
  companyId: string;
} {
  const viewer = viewerOf(request);
  if (!viewer.company) throw new ForbiddenError('Join or create a company first.');
  const { user } = viewer.session;
  return {
    viewer,
    actor: { kind: 'user', userId: user.id, label: user.email },
    companyId: viewer.company.id,
  };
}
