import { type AuditActor, recordAudit } from '../audit/service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Company } from '../db/schema.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.js';
import { nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import type { MailService } from '../mail/mailer.js';
import { alreadyRegisteredMail, verifyEmailMail } from '../mail/messages.js';
import type { AccountLinks } from './links.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import type { AccountsService } from './service.js';
import type { MailThrottle } from './throttle.js';
import { insertUniqueUser, newUserRow } from './users.js';

const REFUSALS: Record<Exclude<Config['signUp'], 'open'>, string> = {
  invite: 'Porter here is by invitation only. Ask an owner of your company to invite you.',
  closed: 'Sign-up is closed here. Ask the operator of this Porter for an account.',
};

const userActor = (user: { id: string; email: string }): AuditActor => ({
  kind: 'user',
  userId: user.id,
  label: user.email,
});

/** Sign-up, e-mail verification and the first company: how a person arrives from outside. */
export class RegistrationService {
  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'publicUrl' | 'signUp'>,
    private readonly deps: {
      accounts: AccountsService;
      links: AccountLinks;
      mail: MailService;
      throttle: MailThrottle;
    },
  ) {}

  /** Why sign-up is refused here, or undefined when anyone may sign up (PORTER_SIGNUP=open). */
  refusal(): string | undefined {
    return this.config.signUp === 'open' ? undefined : REFUSALS[this.config.signUp];
  }

  /**
   * Registers an unverified account and mails its verification link. The answer is the same
   * whether or not the address has an account: then its owner gets a mail saying so instead.
   */
  async signUp(input: unknown, ip: string): Promise<{ email: string }> {
    const refusal = this.refusal();
    if (refusal) throw new ForbiddenError(refusal);
    const data = parseInput(schemas.signUp, input);
    await this.deps.throttle.charge('verify', data.email, ip);
    // The password is hashed either way, so the time taken does not tell either.
    const row = await newUserRow(data, false);
    try {
      const { user, link } = await this.db.transaction().execute(async (trx) => {
        const user = await insertUniqueUser(trx, row);
        await recordAudit(trx, userActor(user), audit(null, 'user.signed_up', user.id));
        return { user, link: await this.deps.links.issue(trx, 'verify_email', user.id) };
      });
      this.deps.mail.send(verifyEmailMail(this.config.publicUrl, user, link));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      this.deps.mail.send(alreadyRegisteredMail(this.config.publicUrl, data.email));
    }
    return { email: data.email };
  }

  /** Mails a new verification link to a signed-in, unverified user (the old link stops working). */
  async resendVerification(userId: string, ip: string): Promise<void> {
    const user = await repo.findUserById(this.db, userId);
    if (!user || user.email_verified_at) return;
    await this.deps.throttle.charge('verify', user.email, ip);
    const link = await this.db
      .transaction()
      .execute((trx) => this.deps.links.issue(trx, 'verify_email', user.id));
    this.deps.mail.send(verifyEmailMail(this.config.publicUrl, user, link));
  }

  /** Whether a verification link still works (its page offers the button that spends it). */
  async verificationLinkWorks(token: unknown): Promise<boolean> {
    return (await this.deps.links.peek('verify_email', token)) !== undefined;
  }

  /** Spends a verification link and marks the address verified; the user's id (ExpiredLinkError when dead). */
  async verifyEmail(token: unknown): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const userId = await this.deps.links.spend(trx, 'verify_email', token);
      const user = await repo.findUserById(trx, userId);
      if (!user) throw new NotFoundError('User');
      if (!user.email_verified_at) await repo.updateUser(trx, userId, { email_verified_at: nowIso() });
      await recordAudit(trx, userActor(user), audit(null, 'user.email_verified', userId));
      return userId;
    });
  }

  /** The first company of a verified person who has none yet: they own it. */
  async createFirstCompany(
    user: { id: string; email: string; verified: boolean },
    input: { name: string; region: string },
  ): Promise<Company> {
    if (!user.verified) throw new ForbiddenError('Confirm your e-mail address first.');
    if ((await repo.listCompaniesOfUser(this.db, user.id)).length > 0)
      throw new ForbiddenError(
        'You already belong to a company. Test companies are made in the developer portal.',
      );
    const company = await this.deps.accounts.createOwnedCompany(user.id, input);
    await recordAudit(this.db, userActor(user), {
      ...audit(company.id, 'company.created', company.id, 'company'),
      details: { name: company.name, region: company.region },
    });
    return company;
  }
}

/** An audit event about a user (or another target). */
export function audit(companyId: string | null, action: string, targetId: string, targetType = 'user') {
  return { companyId, action, targetType, targetId };
}
