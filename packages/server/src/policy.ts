import type { Actor } from './audit/service.js';
import type { Role } from './db/schema.js';
import { ForbiddenError, NotFoundError } from './lib/errors.js';
import { isId } from './lib/ids.js';

/** What an actor may do to a company; every service asks here before acting. */
export type CompanyAction =
  | 'view'
  | 'manage_apps'
  | 'manage_developer_tokens'
  | 'install_apps'
  | 'manage_installations'
  | 'manage_members'
  | 'manage_owners';

const RULES: Record<CompanyAction, { roles: readonly Role[]; refusal: string }> = {
  view: { roles: ['owner', 'admin', 'member'], refusal: 'Only members of this company see it.' },
  manage_apps: {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins of this company manage its apps.',
  },
  manage_developer_tokens: {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins of this company create developer tokens.',
  },
  install_apps: {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins of this company install apps. Ask one of them to install it.',
  },
  manage_installations: {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins of this company manage its installed apps.',
  },
  manage_members: {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins of this company manage its members.',
  },
  // Making, unmaking or removing an owner: an admin cannot take the company from its owners.
  manage_owners: {
    roles: ['owner'],
    refusal: 'Only an owner of this company can make, change or remove an owner.',
  },
};

/** How the policy learns who belongs where (the accounts service). */
export interface Memberships {
  roleIn(companyId: string, userId: string): Promise<Role | undefined>;
  companyExists(companyId: string): Promise<boolean>;
  isPlatformAdmin(userId: string): Promise<boolean>;
}

/** Who may do what: the one place that decides. */
export class Policy {
  constructor(private readonly memberships: Memberships) {}

  /**
   * Allows `action` on `companyId` or throws: NotFoundError when the actor cannot see the company
   * (a stranger learns nothing), ForbiddenError when their role does not allow it. The operator
   * at the command line may do everything to a company that exists.
   */
  async authorize(actor: Actor, companyId: string, action: CompanyAction): Promise<void> {
    if (!isId(companyId, 'cmp')) throw new NotFoundError('Company');
    if (actor.kind === 'operator') {
      if (!(await this.memberships.companyExists(companyId))) throw new NotFoundError('Company');
      return;
    }
    const role = await this.memberships.roleIn(companyId, actor.userId);
    if (role === undefined) throw new NotFoundError('Company');
    const rule = RULES[action];
    if (!rule.roles.includes(role)) throw new ForbiddenError(rule.refusal);
  }

  /**
   * Allows a platform-wide action (the admin area: reviews, suspensions, every company's audit
   * log) or throws ForbiddenError. Read from the database each time, so a revoked admin stops at
   * once. The operator at the command line is always allowed.
   */
  async authorizePlatform(actor: Actor): Promise<void> {
    if (actor.kind === 'operator') return;
    if (!(await this.memberships.isPlatformAdmin(actor.userId)))
      throw new ForbiddenError(
        'Only platform admins may do this. An operator grants it with porter admin grant.',
      );
  }

  /** Why `role` does not allow `action`, or undefined when it does: for pages deciding what to offer. */
  static refusal(role: Role, action: CompanyAction): string | undefined {
    const rule = RULES[action];
    return rule.roles.includes(role) ? undefined : rule.refusal;
  }
}
