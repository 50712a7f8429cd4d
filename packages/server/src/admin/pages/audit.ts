import type { FastifyInstance } from 'fastify';
import { adminActor } from '../guard.js';
import type { AdminService } from '../service.js';
import { adminAuditView } from '../views/audit.js';
import { listPage } from './list-page.js';

/** `/admin/audit`: every company's audit log, filtered by the query string, older pages by keyset. */
export function adminAuditPages(app: FastifyInstance, { admin }: { admin: AdminService }) {
  listPage(app, '/admin/audit', 'Audit log · Admin', (r, q) => admin.audit(adminActor(r), q), adminAuditView);
}
