import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { formSchema, formText, handleForm } from '../web/forms.js';
import { actingAs } from '../web/viewer.js';
import type { CredentialsService } from './service.js';
import { TOKEN_FORM_ID } from './views.js';

const tokenForm = formSchema({ token_name: formText });

/** `POST /developer/tokens` (the token shown once on the portal) and `POST /developer/tokens/:id/revoke`. */
export function developerTokenPages(
  app: FastifyInstance,
  { config, credentials }: { config: Config; credentials: CredentialsService },
) {
  app.post('/developer/tokens', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    const form = { page: '/developer', id: TOKEN_FORM_ID, schema: tokenForm, rename: { name: 'token_name' } };
    return handleForm(request, reply, form, async ({ token_name }) => {
      const { token, name } = await credentials.createPersonalToken(actor, companyId, token_name);
      const items = [{ id: 'token-value', label: `Developer token "${name}"`, value: token, secret: true }];
      return {
        to: '/developer',
        flash: {
          secret: { title: 'Developer token created', items },
          notice: `Try it: curl -H "Authorization: Bearer …" ${config.publicUrl}/developer/v1/apps`,
        },
      };
    });
  });

  app.post('/developer/tokens/:id/revoke', async (request, reply) => {
    const { actor } = actingAs(request);
    const { id = '' } = request.params as { id?: string };
    await credentials.revokePersonalToken(actor, id);
    return reply.redirectWithFlash(request, '/developer', { notice: 'Developer token revoked.' });
  });
}
