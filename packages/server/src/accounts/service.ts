import { CLI_ACTOR, recordAudit } from '../audit/service.js';
import type { Database } from '../db/database.js';
import type { Company, Role } from '../db/schema.js';
import { NotFoundError } from '../lib/errors.js';
import { isId, newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import { insertUniqueUser, newUserRow, type PublicUser } from './users.js';

export type { CompanyWithRole } from './repo.js';

export type { PublicUser } from './users.js';

function newCompanyRow(input: schemas.NewCompanyInput): Company {
  const data = parseInput(schemas.newCompany, input);
  return {
    id: newId('cmp'),
    name: data.name,
    region: data.region,
    is_test: data.isTest ? 1 : 0,
    created_at: nowIso(),
  };
}

/** Users, companies and memberships: the rules every edge (pages, API, CLI) goes through. */
export class AccountsService {
  constructor(private readonly db: Database) {}

  /** Creates a user; the email is unique case-insensitively. The operator's users are verified. */
  async createUser(input: schemas.NewUserInput): Promise<PublicUser> {
    const data = parseInput(schemas.newUser, input);
    return insertUniqueUser(this.db, await newUserRow(data, true));
  }

  /** Creates a company (tenant). */
  async createCompany(input: schemas.NewCompanyInput): Promise<Company> {
    const company = newCompanyRow(input);
    await repo.insertCompany(this.db, company);
    return company;
  }

  /** Creates a company with `userId` as its owner, in one transaction. */
  async createOwnedCompany(userId: string, input: schemas.NewCompanyInput): Promise<Company> {
    const company = newCompanyRow(input);
    return this.db.transaction().execute(async (trx) => {
      await repo.insertCompany(trx, company);
      await repo.upsertMembership(trx, {
        company_id: company.id,
        user_id: userId,
        role: 'owner',
        created_at: company.created_at,
      });
      return company;
    });
  }

  /** Adds the user with `email` to a company, or changes their role there. */
  async addMember(input: { companyId: string; email: string; role: string }) {
    const { email, role } = parseInput(schemas.newMember, { email: input.email, role: input.role });
    const company = isId(input.companyId, 'cmp')
      ? await repo.findCompany(this.db, input.companyId)
      : undefined;
    if (!company) throw new NotFoundError('Company');
    const user = await repo.findUserByEmail(this.db, email.toLowerCase());
    if (!user) throw new NotFoundError('User');
    const before = await repo.findMembership(this.db, company.id, user.id);
    await this.db.transaction().execute(async (trx) => {
      await repo.upsertMembership(trx, {
        company_id: company.id,
        user_id: user.id,
        role,
        created_at: nowIso(),
      });
      await recordAudit(trx, CLI_ACTOR, {
        companyId: company.id,
        action: before ? 'member.role_changed' : 'member.added',
        targetType: 'user',
        targetId: user.id,
        details: before ? { email: user.email, from: before.role, to: role } : { email: user.email, role },
      });
    });
    return { companyId: company.id, userId: user.id, email: user.email, role };
  }

  /** The user's role in a company, or undefined when they are not a member. */
  async roleIn(companyId: string, userId: string): Promise<Role | undefined> {
    return (await repo.findMembership(this.db, companyId, userId))?.role;
  }

  async isPlatformAdmin(userId: string): Promise<boolean> {
    return (await repo.findUserById(this.db, userId))?.platform_admin === 1;
  }

  /** Makes the user with `email` a platform admin, or no longer one (the operator's `porter admin grant|revoke`). */
  async setPlatformAdmin(
    email: string,
    admin: boolean,
  ): Promise<{ userId: string; email: string; changed: boolean }> {
    const user = await repo.findUserByEmail(this.db, email.trim().toLowerCase());
    if (!user) throw new NotFoundError('User');
    const changed = (user.platform_admin === 1) !== admin;
    if (changed)
      await this.db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { platform_admin: admin ? 1 : 0 });
        await recordAudit(trx, CLI_ACTOR, {
          companyId: null,
          action: admin ? 'platform_admin.granted' : 'platform_admin.revoked',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email },
        });
      });
    return { userId: user.id, email: user.email, changed };
  }

  /** Every platform admin, by email. */
  platformAdmins() {
    return repo.listPlatformAdmins(this.db);
  }

  async companyExists(companyId: string): Promise<boolean> {
    return (await repo.findCompany(this.db, companyId)) !== undefined;
  }

  /** The companies a user belongs to, with their role in each. */
  listCompanies(userId: string) {
    return repo.listCompaniesOfUser(this.db, userId);
  }

  /** The user with this email (case-insensitive), without the password hash. */
  async findUser(email: string): Promise<PublicUser | undefined> {
    const user = await repo.findUserByEmail(this.db, email.trim().toLowerCase());
    return user && { id: user.id, email: user.email, name: user.name, created_at: user.created_at };
  }

  /** Every company with its number of members, oldest first (the operator's list). */
  async allCompanies() {
    const rows = await repo.listCompanies(this.db);
    return rows.map((c) => ({ ...c, members: Number(c.members) }));
  }

  /** Every user, oldest first, without password hashes (the operator's list). */
  allUsers() {
    return repo.listUsers(this.db);
  }

  /** Changes a user's name. */
  async rename(userId: string, name: unknown): Promise<void> {
    const data = parseInput(schemas.rename, { name });
    await repo.updateUser(this.db, userId, { name: data.name });
  }

  async isEmpty(): Promise<boolean> {
    return (await repo.countUsers(this.db)) === 0;
  }
}
