import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import { adminOnly } from './guard.js';
import { adminAppPages } from './pages/apps.js';
import { adminAuditPages } from './pages/audit.js';
import { adminCompanyPages } from './pages/companies.js';
import { adminReviewPages } from './pages/reviews.js';

/** The admin area (/admin): one plugin scope whose every route is for platform admins only. */
export function adminRoutes(pages: FastifyInstance, deps: Services & { config: Config }) {
  return pages.register(async (admin) => {
    adminOnly(admin);
    admin.get('/admin', async (_request, reply) => reply.redirect('/admin/reviews', 303));
    // Each section registers here, one page module each: reviews, apps, companies, audit.
    adminAppPages(admin, deps);
    adminCompanyPages(admin, deps);
    adminAuditPages(admin, deps);
    adminReviewPages(admin, deps);
  });
}
