import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import { actingAs } from '../../web/viewer.js';
import type { InvitationsService } from '../members/invitations.js';
import type { MembersService } from '../members/service.js';
import { INVITE_FORM_ID, membersView } from '../views/members.js';

interface Deps {
  members: MembersService;
  invitations: InvitationsService;
}

const inviteForm = formSchema({ email: formText, role: formText });
const roleForm = formSchema({ role: formText });

const idOf = (request: FastifyRequest) => (request.params as { id?: string }).id ?? '';

/** `GET /members` of the active company, for its owners and admins. */
function membersPage(app: FastifyInstance, { members, invitations }: Deps) {
  app.get('/members', async (request, reply) => {
    const { viewer, actor, companyId } = actingAs(request);
    const list = await members.list(actor, companyId);
    const pending = await invitations.list(actor, companyId);
    const activity = await members.activity(actor, companyId);
    const looker = { userId: actor.userId, role: viewer.company?.role ?? 'member' };
    const page = {
      companyName: viewer.company?.name ?? '',
      members: list,
      invitations: pending,
      activity,
      looker,
    };
    return sendPage(request, reply, { title: 'Members', body: membersView(reply, request.flash, page) });
  });
}

/** Invite, resend, revoke. */
function invitationActions(app: FastifyInstance, { invitations }: Deps) {
  app.post('/members/invitations', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    const form = { page: '/members', id: INVITE_FORM_ID, schema: inviteForm };
    return handleForm(request, reply, form, async (input) => {
      const sent = await invitations.invite(actor, companyId, input, request.ip);
      return { to: '/members', flash: { notice: `Invitation sent to ${sent.email} as ${sent.role}.` } };
    });
  });

  app.post('/members/invitations/:id/resend', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    const sent = await invitations.resend(actor, companyId, idOf(request), request.ip);
    return reply.redirectWithFlash(request, '/members', {
      notice: `A new link was sent to ${sent.email}; the old one no longer works.`,
    });
  });

  app.post('/members/invitations/:id/revoke', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    await invitations.revoke(actor, companyId, idOf(request));
    return reply.redirectWithFlash(request, '/members', {
      notice: 'Invitation revoked: its link no longer works.',
    });
  });
}

/** Change a role, remove a member or leave. A refusal (the last owner) comes back as an alert. */
function memberActions(app: FastifyInstance, { members }: Deps) {
  app.post('/members/:id/role', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    const form = { page: '/members', id: 'members-h', schema: roleForm };
    return handleForm(request, reply, form, async ({ role }) => {
      const now = await members.changeRole(actor, companyId, idOf(request), role);
      const tokens = now.revokedTokens;
      const revoked =
        tokens > 0 ? ` Their ${tokens} developer token${tokens === 1 ? ' was' : 's were'} revoked.` : '';
      return { to: '/members', flash: { notice: `Role changed to ${now.role}.${revoked}` } };
    });
  });

  app.post('/members/:id/remove', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    const self = idOf(request) === actor.userId;
    const form = { page: '/members', id: 'members-h', schema: formSchema({}) };
    return handleForm(request, reply, form, async () => {
      const { revokedTokens } = await members.remove(actor, companyId, idOf(request));
      if (self) return { to: '/', flash: { notice: 'You left the company.' } };
      const notice = `Member removed; ${revokedTokens} developer token(s) of theirs for this company were revoked.`;
      return { to: '/members', flash: { notice } };
    });
  });
}

/** The Members page and its actions. */
export function membersPages(app: FastifyInstance, deps: Deps) {
  membersPage(app, deps);
  invitationActions(app, deps);
  memberActions(app, deps);
}
