import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../web/layout.js';
import { adminActor } from '../guard.js';
import type { AdminService } from '../service.js';
import { adminCompaniesView, adminCompanyView } from '../views/companies.js';
import { listPage } from './list-page.js';

/** `/admin/companies`: every company, and one company's members, apps and installed apps. */
export function adminCompanyPages(app: FastifyInstance, { admin }: { admin: AdminService }) {
  listPage(
    app,
    '/admin/companies',
    'Companies · Admin',
    (r, q) => admin.companies(adminActor(r), q),
    adminCompaniesView,
  );

  app.get('/admin/companies/:id', async (request, reply) => {
    const { id = '' } = request.params as { id?: string };
    const details = await admin.company(adminActor(request), id);
    return sendPage(request, reply, {
      title: `${details.company.name} · Admin`,
      body: adminCompanyView(details),
    });
  });
}
