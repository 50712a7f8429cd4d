import { type AuditActor, recordAudit } from '../audit/service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { ValidationError } from '../lib/errors.js';
import { hashPassword, verifyPassword } from '../lib/passwords.js';
import { nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import type { MailService } from '../mail/mailer.js';
import { passwordResetMail } from '../mail/messages.js';
import type { AccountLinks } from './links.js';
import { audit } from './registration.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import type { SignedIn } from './sessions.js';
import type { MailThrottle } from './throttle.js';

const passwordOnly = schemas.changePassword.pick({ password: true });

/** Forgotten passwords (reset by a mailed link) and changing one's password while signed in. */
export class PasswordService {
  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'publicUrl'>,
    private readonly deps: {
      links: AccountLinks;
      mail: MailService;
      throttle: MailThrottle;
    },
  ) {}

  /**
   * Mails a reset link when the address has an account (and audits the request). The answer is
   * the same whether or not it has one, and the mail leaves after the answer.
   */
  async requestReset(input: unknown, ip: string): Promise<{ email: string }> {
    const { email } = parseInput(schemas.newMember.pick({ email: true }), input);
    await this.deps.throttle.charge('reset', email, ip);
    const user = await repo.findUserByEmail(this.db, email.toLowerCase());
    if (!user) return { email };
    const link = await this.db.transaction().execute(async (trx) => {
      const visitor: AuditActor = { kind: 'visitor', label: `visitor at ${ip}` };
      await recordAudit(trx, visitor, audit(null, 'password.reset_requested', user.id));
      return this.deps.links.issue(trx, 'reset_password', user.id);
    });
    this.deps.mail.send(passwordResetMail(this.config.publicUrl, user, link));
    return { email };
  }

  /** Whether a reset link still works (its page asks for the new password). */
  async resetLinkWorks(token: unknown): Promise<boolean> {
    return (await this.deps.links.peek('reset_password', token)) !== undefined;
  }

  /**
   * Sets a new password through a reset link (spent once; a refused password does not spend it),
   * ends every session of the account, and marks the address verified: the link proved it.
   */
  async resetPassword(token: unknown, input: unknown): Promise<string> {
    const { password } = parseInput(passwordOnly, input);
    const passwordHash = await hashPassword(password);
    return this.db.transaction().execute(async (trx) => {
      const userId = await this.deps.links.spend(trx, 'reset_password', token);
      const user = await repo.findUserById(trx, userId);
      const verified = user?.email_verified_at ?? nowIso();
      await repo.updateUser(trx, userId, { password_hash: passwordHash, email_verified_at: verified });
      await repo.deleteSessionsOfUser(trx, userId, {});
      const actor: AuditActor = { kind: 'user', userId, label: user?.email ?? userId };
      await recordAudit(trx, actor, audit(null, 'password.reset', userId));
      return userId;
    });
  }

  /** Changes the password of a signed-in user who knows the current one; their other sessions end. */
  async changePassword(session: SignedIn, input: unknown): Promise<{ endedSessions: number }> {
    const data = parseInput(schemas.changePassword, input);
    const user = await repo.findUserById(this.db, session.user.id);
    if (!user || !(await verifyPassword(data.current_password, user.password_hash)))
      throw new ValidationError({ current_password: 'is not your current password' });
    const passwordHash = await hashPassword(data.password);
    return this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, { password_hash: passwordHash });
      await repo.deleteAccountTokens(trx, user.id, 'reset_password');
      const ended = await repo.deleteSessionsOfUser(trx, user.id, { except: session.sessionHash });
      const actor: AuditActor = { kind: 'user', userId: user.id, label: user.email };
      await recordAudit(trx, actor, { ...audit(null, 'password.changed', user.id), details: { ended } });
      return { endedSessions: ended };
    });
  }
}
