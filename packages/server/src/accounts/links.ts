import type { Database, Executor } from '../db/database.js';
import type { AccountTokenKind } from '../db/schema.js';
import { ExpiredLinkError } from '../lib/errors.js';
import { mintLinkToken, parseLinkToken, verifierMatches } from '../lib/link-tokens.js';
import { isoAfter, nowIso } from '../lib/time.js';
import * as repo from './repo.js';

/** Where each kind of link leads, and how long it works. */
const KINDS: Record<AccountTokenKind, { path: string; ttlSeconds: number }> = {
  verify_email: { path: '/verify-email', ttlSeconds: 24 * 3600 },
  reset_password: { path: '/password/reset', ttlSeconds: 3600 },
};

/**
 * One-time links about an account, sent by mail: e-mail verification and password reset. Each
 * works once, until it expires; a new one of a kind replaces the user's older ones.
 */
export class AccountLinks {
  constructor(
    private readonly db: Database,
    private readonly publicUrl: string,
  ) {}

  /** Issues a link of `kind` for a user inside the caller's transaction; returns its URL (for the mail only). */
  async issue(trx: Executor, kind: AccountTokenKind, userId: string): Promise<string> {
    const { selector, token, verifierHash } = mintLinkToken();
    const now = Date.now();
    await repo.deleteAccountTokens(trx, userId, kind);
    await repo.insertAccountToken(trx, {
      selector,
      kind,
      user_id: userId,
      verifier_hash: verifierHash,
      created_at: nowIso(now),
      expires_at: isoAfter(KINDS[kind].ttlSeconds, now),
      used_at: null,
    });
    return `${this.publicUrl}${KINDS[kind].path}?token=${encodeURIComponent(token)}`;
  }

  /** The user a live link is for, without spending it (its page shows a form first); undefined when dead. */
  peek(kind: AccountTokenKind, token: unknown): Promise<string | undefined> {
    return this.find(this.db, kind, token);
  }

  private async find(db: Executor, kind: AccountTokenKind, token: unknown): Promise<string | undefined> {
    const parsed = parseLinkToken(token);
    if (!parsed) return undefined;
    const row = await repo.findLiveAccountToken(db, parsed.selector, kind, nowIso());
    return row && verifierMatches(parsed.verifier, row.verifier_hash) ? row.user_id : undefined;
  }

  /** Spends a link, once (an atomic conditional update); its user, or ExpiredLinkError. */
  async spend(trx: Executor, kind: AccountTokenKind, token: unknown): Promise<string> {
    const userId = await this.find(trx, kind, token);
    const selector = parseLinkToken(token)?.selector;
    const spent = userId && selector ? await repo.spendAccountToken(trx, selector, nowIso()) : undefined;
    if (!spent || spent !== userId) throw new ExpiredLinkError();
    return spent;
  }

  purgeExpired(): Promise<void> {
    return repo.deleteExpiredAccountTokens(this.db, nowIso());
  }
}
