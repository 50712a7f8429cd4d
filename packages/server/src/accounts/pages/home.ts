import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors.js';
import { safeReturnTo } from '../../lib/urls.js';
import { flashMessages } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { sendPage } from '../../web/layout.js';
import { viewerOf } from '../../web/viewer.js';
import type { SessionsService } from '../sessions.js';
import { homeView } from '../views.js';

const switchForm = z.object({
  company_id: z.string().min(1).max(64),
  return_to: z.string().max(2048).optional(),
});

/** The start page, and the company switcher in the header (`POST /account/company`). */
export function homePages(app: FastifyInstance, { sessions }: { sessions: SessionsService }) {
  app.get('/', async (request, reply) =>
    sendPage(request, reply, {
      title: 'Home',
      body: html`${flashMessages(request.flash)}${homeView(viewerOf(request))}`,
    }),
  );

  app.post('/account/company', async (request, reply) => {
    const parsed = switchForm.safeParse(request.body);
    if (!parsed.success) throw new ValidationError({ company_id: 'choose a company from the menu' });
    await sessions.switchCompany(viewerOf(request).session, parsed.data.company_id);
    return reply.redirect(safeReturnTo(parsed.data.return_to), 303);
  });
}
