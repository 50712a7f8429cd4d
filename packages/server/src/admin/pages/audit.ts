import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../web/layout.js';
import { adminActor } from '../guard.js';
import type { AdminService } from '../service.js';
import { adminAuditView } from '../views/audit.js';
import { listed } from './listed.js';

/** `/admin/audit`: every company's audit log, filtered by the query string, older pages by keyset. */
export function adminAuditPages(app: FastifyInstance, { admin }: { admin: AdminService }) {
  app.get('/admin/audit', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const { result, errors, status } = await listed(() => admin.audit(adminActor(request), query));
    const body = adminAuditView({ query, errors, result });
    return sendPage(request, reply, { title: 'Audit log · Admin', body, status });
  });
}
