import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { InvalidCredentialsError, NotFoundError } from '../lib/errors.js';
import { isId } from '../lib/ids.js';
import { verifyAgainstDummy, verifyPassword } from '../lib/passwords.js';
import { isoAfter, nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import * as repo from './repo.js';
import { signIn as signInSchema } from './schemas.js';
import { SignInThrottle } from './throttle.js';

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
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'sessionTtlSeconds' | 'signIn'>,
  ) {
    this.throttle = new SignInThrottle(db, config.signIn);
  }

  /**
   * Checks email and password and opens a new session (a new id at every sign-in, so a session
   * fixed before sign-in is useless). Attempts are throttled (throttle.ts).
   */
  async signIn(input: unknown, ip: string): Promise<{ token: string; userId: string }> {
    const { email, password } = parseInput(signInSchema, input);
    const normalized = email.toLowerCase();
    const charge = await this.throttle.charge(normalized, ip);
    const user = await repo.findUserByEmail(this.db, normalized);
    const ok = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDummy(password);
    if (!user || !ok) throw new InvalidCredentialsError();
    await this.throttle.succeeded(charge);
    const now = Date.now();
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

  /** Drops expired sessions and stale sign-in counters. */
  async purgeExpired(): Promise<void> {
    await repo.deleteExpiredSessions(this.db, nowIso());
    await this.throttle.purge();
  }
}
