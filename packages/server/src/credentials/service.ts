import { type Actor, recordAudit } from '../audit/service.js';
import type { Database, Executor } from '../db/database.js';
import type { TokenKind } from '../db/schema.js';
import { NotFoundError } from '../lib/errors.js';
import { isId, newId } from '../lib/ids.js';
import { hashSecret, mintSecret, SECRET_LENGTH, secretKind } from '../lib/secrets.js';
import { nowIso } from '../lib/time.js';
import type { TtlCache } from '../lib/ttl-cache.js';
import { parseInput } from '../lib/validation.js';
import type { Signals } from '../ops/signals.js';
import type { Policy } from '../policy.js';
import * as repo from './repo.js';
import { personalTokenName } from './schemas.js';

/** Who a bearer credential speaks for: always exactly one company. */
export interface Principal {
  tokenId: string;
  kind: TokenKind;
  companyId: string;
  companyName: string;
  appId: string | null;
  appName: string | null;
  userId: string | null;
  userEmail: string | null;
  scopes: string[];
  /** The app's OAuth client id (null for a private app without distribution). */
  clientId: string | null;
  installationId: string | null;
  createdAt: string;
}

const TOKEN_KINDS: Record<string, TokenKind> = {
  api_key: 'api_key',
  access_token: 'access_token',
  personal_token: 'personal_token',
};

/** Bearer credentials: the one check that turns a presented secret into a principal, and personal tokens. */
export class CredentialsService {
  constructor(
    private readonly db: Database,
    private readonly cache: TtlCache<Principal>,
    private readonly policy: Policy,
    private readonly signals: Signals,
  ) {}

  /**
   * The principal behind a presented secret, or undefined when it is malformed, unknown,
   * revoked, or belongs to a suspended or deleted app. A bad checksum is refused before any query.
   */
  async authenticate(secret: string): Promise<Principal | undefined> {
    return (await this.check(secret)) ?? undefined;
  }

  /**
   * The same check for the hot bearer route: the answer at once when the one-second cache has it
   * (the principal, or null for an unusable secret), else a promise of the database's. The
   * cache is keyed by the secret's hash and only ever holds secrets whose checksum was valid, so
   * a hit needs no checksum; anything else is refused on its length or checksum before a lookup.
   * A hit costs no promise.
   */
  check(secret: string): Principal | null | Promise<Principal | null> {
    if (secret.length !== SECRET_LENGTH) return null;
    const hash = hashSecret(secret);
    const cached = this.cache.get(hash, Date.now());
    if (cached !== undefined) {
      this.signals.bearerCacheHits += 1;
      return cached;
    }
    const kind = TOKEN_KINDS[secretKind(secret) ?? ''];
    if (kind === undefined) return null;
    this.signals.bearerCacheMisses += 1;
    return this.cache.getOrLoad(hash, () => this.lookup(hash, kind));
  }

  private async lookup(hash: string, kind: TokenKind): Promise<Principal | undefined> {
    const row = await repo.findLiveCredential(this.db, hash);
    if (!row || row.kind !== kind) return undefined;
    if (row.app_id && (row.app_status === 'suspended' || row.app_status === 'deleted')) return undefined;
    return {
      tokenId: row.id,
      kind: row.kind,
      companyId: row.company_id,
      companyName: row.company_name,
      appId: row.app_id,
      appName: row.app_name,
      userId: row.user_id,
      userEmail: row.user_email,
      scopes: JSON.parse(row.kind === 'api_key' ? (row.app_scopes ?? '[]') : row.scopes),
      clientId: row.client_id,
      installationId: row.installation_id,
      createdAt: row.created_at,
    };
  }

  /** A personal token for the developer API, acting for `companyId` as this user (owners and admins). */
  async createPersonalToken(actor: Actor & { kind: 'user' }, companyId: string, name: unknown) {
    const label = parseInput(personalTokenName, { name }).name;
    await this.policy.authorize(actor, companyId, 'manage_developer_tokens');
    const token = mintSecret('personal_token');
    const id = newId('tok');
    await this.db.transaction().execute(async (trx) => {
      await repo.insertToken(trx, {
        id,
        kind: 'personal_token',
        hash: hashSecret(token),
        company_id: companyId,
        app_id: null,
        user_id: actor.userId,
        installation_id: null,
        name: label,
        scopes: '[]',
        created_at: nowIso(),
        revoked_at: null,
        last_used_at: null,
      });
      await recordAudit(trx, actor, {
        companyId,
        action: 'personal_token.created',
        targetType: 'token',
        targetId: id,
        details: { name: label },
      });
    });
    return { id, name: label, token };
  }

  /** The actor's live developer tokens for a company they may make them for. */
  async listPersonalTokens(actor: Actor & { kind: 'user' }, companyId: string) {
    await this.policy.authorize(actor, companyId, 'manage_developer_tokens');
    return repo.listPersonalTokens(this.db, actor.userId, companyId);
  }

  /**
   * Mints an app's API key inside the caller's transaction; returned once, stored hashed. An
   * API key has no scopes of its own: it has its app's, read at each check.
   */
  async issueApiKey(trx: Executor, app: { id: string; company_id: string }, now: string): Promise<string> {
    const apiKey = mintSecret('api_key');
    await repo.insertToken(trx, {
      id: newId('tok'),
      kind: 'api_key',
      hash: hashSecret(apiKey),
      company_id: app.company_id,
      app_id: app.id,
      user_id: null,
      installation_id: null,
      name: null,
      scopes: '[]',
      created_at: now,
      revoked_at: null,
      last_used_at: null,
    });
    return apiKey;
  }

  /** Mints an access token for an installation inside the caller's transaction; returned once. */
  async issueAccessToken(
    trx: Executor,
    grant: { appId: string; companyId: string; installationId: string; userId: string; scopes: string[] },
    now: string,
    id: string = newId('tok'),
  ): Promise<{ id: string; token: string }> {
    const token = mintSecret('access_token');
    await repo.insertToken(trx, {
      id,
      kind: 'access_token',
      hash: hashSecret(token),
      company_id: grant.companyId,
      app_id: grant.appId,
      user_id: grant.userId,
      installation_id: grant.installationId,
      name: null,
      scopes: JSON.stringify(grant.scopes),
      created_at: now,
      revoked_at: null,
      last_used_at: null,
    });
    return { id, token };
  }

  /** Revokes every live token of an installation inside the caller's transaction. */
  revokeInstallationCredentials(trx: Executor, installationId: string, now: string): Promise<number> {
    return repo.revokeInstallationTokens(trx, installationId, now);
  }

  /**
   * Revokes a member's developer tokens for a company inside the caller's transaction (they were
   * removed or left); call forgetCachedChecks() after the commit.
   */
  revokeMemberCredentials(trx: Executor, userId: string, companyId: string, now: string): Promise<number> {
    return repo.revokeMemberTokens(trx, userId, companyId, now);
  }

  /** Revokes one token inside the caller's transaction; false when it was already revoked. */
  revokeTokenById(trx: Executor, tokenId: string, now: string): Promise<boolean> {
    return repo.revokeToken(trx, tokenId, now);
  }

  /** Revokes an app's live credentials of the given kinds (all when omitted) inside the caller's transaction. */
  revokeAppCredentials(trx: Executor, appId: string, now: string, kinds?: TokenKind[]): Promise<number> {
    return repo.revokeAppTokens(trx, appId, now, kinds);
  }

  /**
   * Forgets every cached bearer check of this process: called after a commit that revoked
   * credentials or changed what they may do, so they stop working at once here (and within the
   * cache's second in every other process).
   */
  forgetCachedChecks(): void {
    this.cache.clear();
  }

  async revokePersonalToken(actor: Actor & { kind: 'user' }, tokenId: string): Promise<void> {
    if (!isId(tokenId, 'tok')) throw new NotFoundError('Token');
    await this.db.transaction().execute(async (trx) => {
      const companyId = await repo.revokePersonalToken(trx, actor.userId, tokenId, nowIso());
      if (!companyId) throw new NotFoundError('Token');
      await recordAudit(trx, actor, {
        companyId,
        action: 'personal_token.revoked',
        targetType: 'token',
        targetId: tokenId,
      });
    });
    this.cache.clear();
  }
}
