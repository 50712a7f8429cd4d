import { type Actor, recordAudit } from '../../audit/service.js';
import type { Config } from '../../config.js';
import type { Database, Executor } from '../../db/database.js';
import type { Role } from '../../db/schema.js';
import { ConflictError, ExpiredLinkError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { isId, newId } from '../../lib/ids.js';
import { mintLinkToken, parseLinkToken, verifierMatches } from '../../lib/link-tokens.js';
import { isoAfter, nowIso } from '../../lib/time.js';
import { parseInput } from '../../lib/validation.js';
import type { MailService } from '../../mail/mailer.js';
import { invitationMail } from '../../mail/messages.js';
import type { Policy } from '../../policy.js';
import * as accountsRepo from '../repo.js';
import * as schemas from '../schemas.js';
import type { MailThrottle } from '../throttle.js';
import { insertUniqueUser, newUserRow } from '../users.js';
import * as repo from './repo.js';

const SEVEN_DAYS = 7 * 24 * 3600;

export type PendingInvitation = Awaited<ReturnType<typeof repo.listPendingInvitations>>[number];
type LiveInvitation = NonNullable<Awaited<ReturnType<typeof repo.findLiveInvitation>>>;

/** What the page of an invitation link shows. */
export interface InvitationView {
  email: string;
  role: Role;
  companyName: string;
  inviterName: string | null;
  /** Whether the invited address has an account (to sign in to) or needs one (made on accepting). */
  accountExists: boolean;
}

/**
 * Invitations to a company, by e-mail, with a role: a single-use link for seven days, resent
 * (a new link) or revoked by the company's owners and admins; accepting creates the account
 * when the address has none.
 */
export class InvitationsService {
  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'publicUrl'>,
    private readonly deps: { policy: Policy; mail: MailService; throttle: MailThrottle },
  ) {}

  /** The company's pending invitations, newest first. */
  async list(actor: Actor, companyId: string): Promise<PendingInvitation[]> {
    await this.deps.policy.authorize(actor, companyId, 'manage_members');
    return repo.listPendingInvitations(this.db, companyId);
  }

  private async mayInvite(actor: Actor, companyId: string, role: Role, email: string, ip?: string) {
    await this.deps.policy.authorize(actor, companyId, 'manage_members');
    if (role === 'owner') await this.deps.policy.authorize(actor, companyId, 'manage_owners');
    // The operator's command line is not throttled; a page is, per address invited and per client.
    if (ip !== undefined) await this.deps.throttle.charge('invite', email, ip);
  }

  /**
   * Invites an address with a role and mails the link. A pending invitation of the same address
   * is renewed instead (new link and role). A member already is refused.
   */
  async invite(actor: Actor, companyId: string, input: unknown, ip?: string) {
    const { email, role } = parseInput(schemas.invitation, input);
    await this.mayInvite(actor, companyId, role, email, ip);
    const normalized = email.toLowerCase();
    const made = await this.db.transaction().execute(async (trx) => {
      const user = await accountsRepo.findUserByEmail(trx, normalized);
      if (user && (await accountsRepo.findMembership(trx, companyId, user.id)))
        throw new ConflictError(`${email} is already a member of this company.`, 'email');
      const pending = await repo.findPendingInvitationFor(trx, companyId, normalized);
      const id = pending?.id ?? newId('inv');
      if (!pending) {
        const now = nowIso();
        await repo.insertInvitation(trx, {
          id,
          company_id: companyId,
          email,
          email_normalized: normalized,
          role,
          verifier_hash: '', // set by newLink below, in this transaction
          invited_by: null,
          created_at: now,
          expires_at: now,
          accepted_at: null,
          revoked_at: null,
        });
      }
      await recordAudit(
        trx,
        actor,
        inviteEvent(companyId, pending ? 'invitation.resent' : 'invitation.created', id, { email, role }),
      );
      return { id, ...(await this.newLink(trx, actor, id, role)) };
    });
    return this.mail(made.id, made.token);
  }

  /** Mails a pending invitation again with a new link (the old one stops working) and seven more days. */
  async resend(actor: Actor, companyId: string, invitationId: string, ip?: string) {
    const pending = isId(invitationId, 'inv')
      ? await repo.findPendingInvitation(this.db, companyId, invitationId)
      : undefined;
    if (!pending) {
      await this.deps.policy.authorize(actor, companyId, 'manage_members');
      throw new NotFoundError('Invitation');
    }
    await this.mayInvite(actor, companyId, pending.role, pending.email, ip);
    const { token } = await this.db.transaction().execute(async (trx) => {
      const details = { email: pending.email, role: pending.role };
      await recordAudit(trx, actor, inviteEvent(companyId, 'invitation.resent', pending.id, details));
      return this.newLink(trx, actor, pending.id, pending.role);
    });
    return this.mail(pending.id, token);
  }

  /** A new link (the old one stops working) and seven more days, inside the caller's transaction. */
  private async newLink(trx: Executor, actor: Actor, id: string, role: Role) {
    const { token, verifierHash } = mintLinkToken(id);
    const invitedBy = actor.kind === 'user' ? actor.userId : null;
    const changes = {
      verifier_hash: verifierHash,
      role,
      expires_at: isoAfter(SEVEN_DAYS),
      invited_by: invitedBy,
    };
    await repo.renewInvitation(trx, id, changes);
    return { token };
  }

  /** Mails an invitation's link, after the commit that made it. */
  private async mail(id: string, token: string) {
    const live = await repo.findLiveInvitation(this.db, id, nowIso());
    if (!live) throw new NotFoundError('Invitation');
    const inviterName = live.inviter_name ?? `The operator of Porter`;
    const link = `${this.config.publicUrl}/invitation?token=${encodeURIComponent(token)}`;
    this.deps.mail.send(
      invitationMail(
        this.config.publicUrl,
        { email: live.email, companyName: live.company_name, inviterName, role: live.role },
        link,
      ),
    );
    return { id, email: live.email, role: live.role, expiresAt: live.expires_at };
  }

  /** Revokes a pending invitation: its link stops working. */
  async revoke(actor: Actor, companyId: string, invitationId: string): Promise<void> {
    await this.deps.policy.authorize(actor, companyId, 'manage_members');
    const pending = isId(invitationId, 'inv')
      ? await repo.findPendingInvitation(this.db, companyId, invitationId)
      : undefined;
    if (!pending) throw new NotFoundError('Invitation');
    if (pending.role === 'owner') await this.deps.policy.authorize(actor, companyId, 'manage_owners');
    await this.db.transaction().execute(async (trx) => {
      await repo.revokeInvitation(trx, pending.id, nowIso());
      await recordAudit(
        trx,
        actor,
        inviteEvent(companyId, 'invitation.revoked', pending.id, { email: pending.email }),
      );
    });
  }

  /** The live invitation behind a link (verifier compared in constant time), or undefined. */
  private async live(db: Executor, token: unknown): Promise<LiveInvitation | undefined> {
    const parsed = parseLinkToken(token);
    if (!parsed || !isId(parsed.selector, 'inv')) return undefined;
    const row = await repo.findLiveInvitation(db, parsed.selector, nowIso());
    return row && verifierMatches(parsed.verifier, row.verifier_hash) ? row : undefined;
  }

  /** What an invitation link's page shows; ExpiredLinkError when the link is dead. */
  async view(token: unknown): Promise<InvitationView> {
    const row = await this.live(this.db, token);
    if (!row)
      throw new ExpiredLinkError(
        'This invitation has expired, was revoked or was already accepted. Ask for a new one.',
      );
    const account = await accountsRepo.findUserByEmail(this.db, row.email_normalized);
    return {
      email: row.email,
      role: row.role,
      companyName: row.company_name,
      inviterName: row.inviter_name,
      accountExists: account !== undefined,
    };
  }

  /** Accepts an invitation as the signed-in user it was sent to; the company joined. */
  async acceptAsUser(token: unknown, user: { id: string; email: string }): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.live(trx, token);
      if (!row) throw new ExpiredLinkError();
      if (row.email_normalized !== user.email.toLowerCase())
        throw new ForbiddenError(`This invitation is for ${row.email}. Sign out, then open the link again.`);
      await this.join(trx, row, { kind: 'user', userId: user.id, label: user.email });
      return row.company_id;
    });
  }

  /** Accepts an invitation for an address without an account: makes it (verified: the link proved it). */
  async acceptWithNewAccount(token: unknown, input: unknown): Promise<{ userId: string; companyId: string }> {
    const data = parseInput(schemas.signUp.pick({ name: true, password: true }), input);
    const invited = await this.live(this.db, token);
    if (!invited) throw new ExpiredLinkError();
    const row = await newUserRow({ ...data, email: invited.email }, true);
    return this.db.transaction().execute(async (trx) => {
      const user = await insertUniqueUser(trx, row).catch((err) => {
        if (err instanceof ConflictError)
          throw new ConflictError('This address has an account now: sign in to accept.');
        throw err;
      });
      await this.join(trx, invited, { kind: 'user', userId: user.id, label: user.email });
      return { userId: user.id, companyId: invited.company_id };
    });
  }

  /** Spends the invitation (once) and makes its addressee a member with its role. */
  private async join(trx: Executor, invitation: LiveInvitation, actor: Actor & { kind: 'user' }) {
    const now = nowIso();
    if (!(await repo.spendInvitation(trx, invitation.id, now))) throw new ExpiredLinkError();
    const { company_id: companyId, role } = invitation;
    const member = await accountsRepo.findMembership(trx, companyId, actor.userId);
    if (!member)
      await accountsRepo.upsertMembership(trx, {
        company_id: companyId,
        user_id: actor.userId,
        role,
        created_at: now,
      });
    const user = await accountsRepo.findUserById(trx, actor.userId);
    if (user && !user.email_verified_at)
      await accountsRepo.updateUser(trx, user.id, { email_verified_at: now });
    await recordAudit(
      trx,
      actor,
      inviteEvent(companyId, 'invitation.accepted', invitation.id, { email: invitation.email, role }),
    );
    await recordAudit(trx, actor, {
      companyId,
      action: 'member.added',
      targetType: 'user',
      targetId: actor.userId,
      details: { email: invitation.email, role: member?.role ?? role, via: 'invitation' },
    });
  }
}

function inviteEvent(companyId: string, action: string, id: string, details: Record<string, unknown>) {
  return { companyId, action, targetType: 'invitation', targetId: id, details };
}
