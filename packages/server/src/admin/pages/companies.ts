import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../web/layout.js';
import { adminActor } from '../guard.js';
import type { AdminService } from '../service.js';
import { adminCompaniesView, adminCompanyView } from '../views/companies.js';
import { listed } from './listed.js';

/** `/admin/companies`: every company, and one company's members, apps and installed apps. */
export function adminCompanyPages(app: FastifyInstance, { admin }: { admin: AdminService }) {
  app.get('/admin/companies', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const { result, errors, status } = await listed(() => admin.companies(adminActor(request), query));
    const body = adminCompaniesView({ query, errors, result });
    return sendPage(request, reply, { title: 'Companies · Admin', body, status });
  });

  app.get('/admin/companies/:id', async (request, reply) => {
    const { id = '' } = request.params as { id?: string };
    const details = await admin.company(adminActor(request), id);
    return sendPage(request, reply, {
      title: `${details.company.name} · Admin`,
      body: adminCompanyView(details),
    });
  });
}
