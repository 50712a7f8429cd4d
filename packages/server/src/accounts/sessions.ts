import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { InvalidCredentialsError, NotFoundError } from '../lib/errors.js';
import { isId } from '../lib/ids.js';
import { verifyAgainstDummy, verifyPassword } from '../lib/passwords.js';
import { isoAfter, nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import type { CompanyWithRole } from './repo.js';
import * as repo from './repo.js';
import { signIn as signInSchema } from './schemas.js';
import { SignInThrottle } from './throttle.js';

export interface SignedIn {
  sessionHash: string;
  /** `verified`: the person proved the e-mail address is theirs; until then they may only verify it. */
  user: {
    id: string;
    email: string;
    name: string;
    verified: boolean;
    /** A platform admin sees the admin area (policy.ts still decides each action). */
    platformAdmin: boolean;
  };
  activeCompanyId: string | null;
}

/** A session as its owner sees it in the list of their sessions. */
export interface SessionView {
  /** A handle for ending it: the SHA-256 of the cookie, never the cookie. */
  id: string;
  createdAt: string;
  userAgent: string | null;
  current: boolean;
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
  async signIn(input: unknown, ip: string, userAgent?: string): Promise<{ token: string; userId: string }> {
    const { email, password } = parseInput(signInSchema, input);
    const normalized = email.toLowerCase();
    const charge = await this.throttle.charge(normalized, ip);
    const user = await repo.findUserByEmail(this.db, normalized);
    const ok = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDummy(password);
    if (!user || !ok) throw new InvalidCredentialsError();
    await this.throttle.succeeded(charge);
    return { token: await this.open(user.id, userAgent), userId: user.id };
  }

  /**
   * Opens a new session for a user who proved who they are some other way (a verification or
   * invitation link); returns the cookie value. The first of their companies is active.
   */
  async open(userId: string, userAgent?: string): Promise<string> {
    const now = Date.now();
    const token = randomBytes(32).toString('base64url');
    const companies = await repo.listCompaniesOfUser(this.db, userId);
    await repo.insertSession(this.db, {
      id_hash: hashToken(token),
      user_id: userId,
      active_company_id: companies[0]?.id ?? null,
      created_at: nowIso(now),
      expires_at: isoAfter(this.config.sessionTtlSeconds, now),
      user_agent: userAgent ? userAgent.slice(0, 200) : null,
    });
    return token;
  }

  /** The user's live sessions, newest first, the one asking marked. */
  async list(session: SignedIn): Promise<SessionView[]> {
    const rows = await repo.listSessionsOfUser(this.db, session.user.id, nowIso());
    return rows.map((r) => ({
      id: r.id_hash,
      createdAt: r.created_at,
      userAgent: r.user_agent,
      current: r.id_hash === session.sessionHash,
    }));
  }

  /** Ends one of the user's other sessions; false when there is no such session of theirs. */
  async end(session: SignedIn, id: string): Promise<boolean> {
    if (id === session.sessionHash || id.length > 100) return false;
    return (await repo.deleteSessionsOfUser(this.db, session.user.id, { only: id })) > 0;
  }

  /** The signed-in user behind a session cookie with their companies (one query), or undefined. */
  async resolve(
    token: string | undefined,
  ): Promise<{ session: SignedIn; companies: CompanyWithRole[] } | undefined> {
    if (!token || token.length > 100) return undefined;
    const found = await repo.findSessionViewer(this.db, hashToken(token), nowIso());
    if (!found) return undefined;
    const row = found.session;
    return {
      session: {
        sessionHash: row.id_hash,
        user: {
          id: row.user_id,
          email: row.email,
          name: row.name,
          verified: row.email_verified_at !== null,
          platformAdmin: row.platform_admin === 1,
        },
        activeCompanyId: row.active_company_id,
      },
      companies: found.companies,
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
