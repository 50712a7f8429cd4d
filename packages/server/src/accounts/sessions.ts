import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { InvalidCredentialsError, NotFoundError, TooManyAttemptsError } from '../lib/errors.js';
import { isId } from '../lib/ids.js';
import { verifyAgainstDummy, verifyPassword } from '../lib/passwords.js';
import { isoAfter, nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import * as repo from './repo.js';
import { signIn as signInSchema } from './schemas.js';

export interface SignedIn {
  sessionHash: string;
  user: { id: string; email: string; name: string };
  activeCompanyId: string | null;
}

/** The cookie holds 256 random bits; the database only their SHA-256 (enough for such entropy). */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Sign-in with throttling, server-side sessions, and the active company of each session. */
export class SessionsService {
  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'sessionTtlSeconds' | 'signIn'>,
  ) {}

  /**
   * Checks email and password and opens a new session (a new id at every sign-in, so a session
   * fixed before sign-in is useless). Failures count per account and per IP address.
   */
  async signIn(input: unknown, ip: string): Promise<{ token: string; userId: string }> {
    const { email, password } = parseInput(signInSchema, input);
    const normalized = email.toLowerCase();
    const { maxFailuresPerAccount, maxFailuresPerIp, windowSeconds } = this.config.signIn;
    const now = Date.now();
    const cutoff = nowIso(now - windowSeconds * 1000);
    const accountKey = `account:${normalized}`;
    const ipKey = `ip:${ip}`;
    // Count the attempt before checking the password, so parallel guesses all count.
    const perAccount = await repo.addSignInFailure(this.db, accountKey, nowIso(now), cutoff);
    const perIp = await repo.addSignInFailure(this.db, ipKey, nowIso(now), cutoff);
    const over = [
      perAccount.failures > maxFailuresPerAccount ? perAccount.windowStartedAt : undefined,
      perIp.failures > maxFailuresPerIp ? perIp.windowStartedAt : undefined,
    ].filter((w): w is string => w !== undefined);
    if (over.length > 0) {
      const until = Math.max(...over.map((w) => Date.parse(w) + windowSeconds * 1000));
      throw new TooManyAttemptsError(Math.max(1, Math.ceil((until - now) / 1000)));
    }
    const user = await repo.findUserByEmail(this.db, normalized);
    const ok = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDummy(password);
    if (!user || !ok) throw new InvalidCredentialsError();
    await repo.forgetSignInFailures(this.db, accountKey);
    await repo.removeOneSignInFailure(this.db, ipKey);
    const token = randomBytes(32).toString('base64url');
    const companies = await repo.listCompaniesOfUser(this.db, user.id);
    await repo.insertSession(this.db, {
      id_hash: hashToken(token),
      user_id: user.id,
      active_company_id: companies[0]?.id ?? null,
      created_at: nowIso(now),
      expires_at: isoAfter(this.config.sessionTtlSeconds, now),
    });
    return { token, userId: user.id };
  }

  /** The signed-in user behind a session cookie, or undefined. */
  async resolve(token: string | undefined): Promise<SignedIn | undefined> {
    if (!token || token.length > 100) return undefined;
    const row = await repo.findLiveSession(this.db, hashToken(token), nowIso());
    if (!row) return undefined;
    return {
      sessionHash: row.id_hash,
      user: { id: row.user_id, email: row.email, name: row.name },
      activeCompanyId: row.active_company_id,
    };
  }

  /** Makes `companyId` the session's active company; the user must be a member of it. */
  async switchCompany(session: SignedIn, companyId: string): Promise<void> {
    if (!isId(companyId, 'cmp')) throw new NotFoundError('Company');
    const membership = await repo.findMembership(this.db, companyId, session.user.id);
    if (!membership) throw new NotFoundError('Company');
    await repo.setSessionCompany(this.db, session.sessionHash, companyId);
  }

  async signOut(session: SignedIn): Promise<void> {
    await repo.deleteSession(this.db, session.sessionHash);
  }

  async purgeExpired(): Promise<void> {
    await repo.deleteExpiredSessions(this.db, nowIso());
  }
}
