import { type Actor, companyTrail, recordAudit } from '../../audit/service.js';
import type { CredentialsService } from '../../credentials/service.js';
import type { Database, Executor } from '../../db/database.js';
import type { Membership, Role } from '../../db/schema.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { parseInput } from '../../lib/validation.js';
import { Policy } from '../../policy.js';
import * as accountsRepo from '../repo.js';
import { roleChange } from '../schemas.js';
import * as repo from './repo.js';

export type Member = Awaited<ReturnType<typeof repo.listMembers>>[number];

const LAST_OWNER = 'A company needs an owner: make another member owner first.';

/** A company's members and their roles: listed, changed and removed by its owners and admins. */
export class MembersService {
  constructor(
    private readonly db: Database,
    private readonly policy: Policy,
    private readonly credentials: CredentialsService,
  ) {}

  /** The company's members, owners first (owners and admins, or the operator). */
  async list(actor: Actor, companyId: string): Promise<Member[]> {
    await this.policy.authorize(actor, companyId, 'manage_members');
    return repo.listMembers(this.db, companyId);
  }

  /** The member, after checking the actor may manage them (an owner only by an owner). */
  private async target(
    actor: Actor,
    companyId: string,
    userId: string,
    self = false,
  ): Promise<Membership & { email: string }> {
    await this.policy.authorize(actor, companyId, self ? 'view' : 'manage_members');
    const member = isId(userId, 'usr')
      ? await accountsRepo.findMembership(this.db, companyId, userId)
      : undefined;
    if (!member) throw new NotFoundError('Member');
    if (member.role === 'owner' && !self) await this.policy.authorize(actor, companyId, 'manage_owners');
    const user = await accountsRepo.findUserById(this.db, userId);
    return { ...member, email: user?.email ?? userId };
  }

  /** The company's recent membership events (members and invitations), newest first. */
  async activity(actor: Actor, companyId: string) {
    await this.policy.authorize(actor, companyId, 'manage_members');
    return companyTrail(this.db, companyId, ['member.', 'invitation.', 'company.'], 20);
  }

  /**
   * Locks the company and re-reads the member inside the transaction, so two changes cannot
   * both remove "one of two owners"; refuses to leave the company without an owner.
   */
  private async lockedTarget(trx: Executor, before: Membership, losesOwner: boolean): Promise<void> {
    await repo.lockCompany(trx, before.company_id);
    const now = await accountsRepo.findMembership(trx, before.company_id, before.user_id);
    if (!now) throw new NotFoundError('Member');
    if (now.role !== before.role)
      throw new ConflictError('This member changed meanwhile. Reload and try again.');
    if (losesOwner && now.role === 'owner' && (await repo.countOwners(trx, before.company_id)) <= 1)
      throw new ConflictError(LAST_OWNER);
  }

  /** Changes a member's role; making or unmaking an owner takes an owner; the last owner stays owner. */
  async changeRole(
    actor: Actor,
    companyId: string,
    userId: string,
    role: unknown,
  ): Promise<{ role: Role; revokedTokens: number }> {
    const next = parseInput(roleChange, { role }).role;
    const member = await this.target(actor, companyId, userId);
    if (next === 'owner') await this.policy.authorize(actor, companyId, 'manage_owners');
    if (member.role === next) return { role: next, revokedTokens: 0 };
    // A member may not hold developer tokens (policy: manage_developer_tokens): demoted to one,
    // their tokens for this company are revoked with the change, as on removal.
    const demoted = Policy.refusal(next, 'manage_developer_tokens') !== undefined;
    const revokedTokens = await this.db.transaction().execute(async (trx) => {
      await this.lockedTarget(trx, member, next !== 'owner');
      await repo.setRole(trx, companyId, userId, next);
      const revoked = demoted
        ? await this.credentials.revokeMemberCredentials(trx, userId, companyId, nowIso())
        : 0;
      await recordAudit(trx, actor, {
        companyId,
        action: 'member.role_changed',
        targetType: 'user',
        targetId: userId,
        details: { email: member.email, from: member.role, to: next, revoked_tokens: revoked },
      });
      return revoked;
    });
    if (revokedTokens > 0) this.credentials.forgetCachedChecks();
    return { role: next, revokedTokens };
  }

  /**
   * Removes a member (or the actor leaves): they lose the company at once — their developer
   * tokens for it are revoked and their sessions with it active fall back to another company.
   */
  async remove(actor: Actor, companyId: string, userId: string): Promise<{ revokedTokens: number }> {
    const self = actor.kind === 'user' && actor.userId === userId;
    const member = await this.target(actor, companyId, userId, self);
    const revokedTokens = await this.db.transaction().execute(async (trx) => {
      await this.lockedTarget(trx, member, true);
      await repo.deleteMembership(trx, companyId, userId);
      const now = nowIso();
      const revoked = await this.credentials.revokeMemberCredentials(trx, userId, companyId, now);
      await accountsRepo.forgetActiveCompany(trx, userId, companyId);
      await recordAudit(trx, actor, {
        companyId,
        action: self ? 'member.left' : 'member.removed',
        targetType: 'user',
        targetId: userId,
        details: { email: member.email, role: member.role, revoked_tokens: revoked },
      });
      return revoked;
    });
    this.credentials.forgetCachedChecks();
    return { revokedTokens };
  }
}
