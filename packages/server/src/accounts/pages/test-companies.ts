import type { FastifyInstance } from 'fastify';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { actingAs } from '../../web/viewer.js';
import type { AccountsService } from '../service.js';
import { TEST_COMPANY_FORM_ID } from '../views.js';

const testCompanyForm = formSchema({ company_name: formText });

/** `POST /developer/test-companies`: a test company the developer owns, to test installs in. */
export function testCompanyPages(app: FastifyInstance, { accounts }: { accounts: AccountsService }) {
  app.post('/developer/test-companies', async (request, reply) => {
    const { actor } = actingAs(request);
    const form = {
      page: '/developer',
      id: TEST_COMPANY_FORM_ID,
      schema: testCompanyForm,
      rename: { name: 'company_name' },
    };
    return handleForm(request, reply, form, async ({ company_name }) => {
      await accounts.createOwnedCompany(actor.userId, { name: company_name, isTest: true });
      return {
        to: '/developer',
        flash: {
          notice: 'Test company created. Switch to it from the header to test installs of your apps.',
        },
      };
    });
  });
}
