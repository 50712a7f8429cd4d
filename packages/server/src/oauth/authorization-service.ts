import type { AccountsService } from '../accounts/service.js';
import type { SignedIn } from '../accounts/sessions.js';
import type { OAuthClient, OAuthClients } from '../apps/oauth-client.js';
import type { Actor } from '../audit/service.js';
import { recordAudit } from '../audit/service.js';
import type { Config } from '../config.js';
import type { Database, Executor } from '../db/database.js';
import type { AuthorizationRequestRow, Role } from '../db/schema.js';
import { capped, type Failure, type FailureCause } from '../debugger/causes.js';
import { ForbiddenError } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { hashSecret, mintSecret } from '../lib/secrets.js';
import { isoAfter, nowIso } from '../lib/time.js';
import { Policy } from '../policy.js';
import { OAuthError, type OAuthErrorCode } from './errors.js';
import { isChallenge } from './pkce.js';
import * as repo from './repo.js';

/** An authorization request as it arrived, each parameter once (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export interface AuthorizationParams {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  responseType?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  /** Names of parameters that came more than once (RFC 6749 §3.1: an error). */
  duplicated: string[];
  /** Whether `response_type` may be left out (the distribution URL and the seeds' start URLs). */
  impliedCode: boolean;
}

/** A request that passed every check: what the consent page shows and the code will carry. */
export interface ValidRequest {
  client: OAuthClient;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
}

/** Where an error may be sent (RFC 6749 §4.1.2.1): only once the redirect URI is trusted. */
export type Checked =
  | { ok: true; request: ValidRequest }
  | { ok: false; error: OAuthError; redirect?: { uri: string; state: string | undefined } };

/** A pending consent: the stored request and its client. */
export interface Pending {
  row: AuthorizationRequestRow;
  client: OAuthClient;
}

const REQUEST_TTL_SECONDS = 600;
const PKCE_MESSAGES = {
  method: 'code_challenge_method must be S256 (plain is not allowed).',
  format: 'code_challenge must be a base64url SHA-256 (43 characters).',
  method_without_challenge: 'code_challenge_method without code_challenge.',
};
const page = (code: 'invalid_request' | 'invalid_client', message: string, failure?: Failure) =>
  new OAuthError(code, message, { redirectable: false, failure });

/** Seed 000: an app cannot be installed into its own developer company; its test companies work. */
function ownCompanyRefusal(client: OAuthClient, companyId: string): string | undefined {
  return companyId === client.companyId
    ? `${client.name} was made by this company, so it cannot be installed here. Switch to a test company (or another company) to install it.`
    : undefined;
}

/** The authorization endpoint's rules: checking a request, the pending consent, the decision. */
export class AuthorizationService {
  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'codeTtlSeconds'>,
    private readonly clients: OAuthClients,
    private readonly accounts: AccountsService,
  ) {}

  /**
   * Checks a request in the order RFC 6749 §4.1.2.1 requires: the client and its redirect URI
   * first (failures are shown on Porter, never redirected), then everything else (redirected
   * with `error=`).
   */
  async check(params: AuthorizationParams): Promise<Checked> {
    if (params.duplicated.includes('client_id') || params.duplicated.includes('redirect_uri'))
      return { ok: false, error: page('invalid_request', 'The request repeats client_id or redirect_uri.') };
    const client = params.clientId ? await this.clients.find(params.clientId) : undefined;
    if (!client) return { ok: false, error: page('invalid_client', 'No app has this client ID.') };
    const redirectUri =
      params.redirectUri ?? (client.redirectUrls.length === 1 ? client.redirectUrls[0] : undefined);
    const registered = client.redirectUrls;
    if (redirectUri === undefined) {
      const failure = { appId: client.id, cause: { kind: 'redirect_uri_missing' as const, registered } };
      return { ok: false, error: page('invalid_request', 'The request names no redirect_uri.', failure) };
    }
    // Exact string match after URL-decoding, query included (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3).
    if (!registered.includes(redirectUri)) {
      const cause = { kind: 'redirect_uri_mismatch' as const, given: capped(redirectUri), registered };
      const message = `The redirect_uri is not registered for ${client.name}.`;
      return { ok: false, error: page('invalid_request', message, { appId: client.id, cause }) };
    }
    const redirect = { uri: redirectUri, state: params.state };
    const problem = this.problemOf(params, client);
    if (problem) return { ok: false, error: problem, redirect };
    const scopes = params.scope ? [...new Set(params.scope.split(' ').filter(Boolean))] : client.scopes;
    return {
      ok: true,
      request: { client, redirectUri, scopes, state: params.state, codeChallenge: params.codeChallenge },
    };
  }

  private problemOf(params: AuthorizationParams, client: OAuthClient): OAuthError | undefined {
    const refuse = (code: OAuthErrorCode, message: string, cause: FailureCause) =>
      new OAuthError(code, message, { failure: { appId: client.id, cause } });
    if (params.duplicated.length > 0)
      return refuse('invalid_request', `Repeated parameter: ${params.duplicated.join(', ')}.`, {
        kind: 'repeated_parameter',
        names: params.duplicated,
      });
    if (client.status === 'suspended')
      return refuse('unauthorized_client', `${client.name} is suspended and cannot be installed.`, {
        kind: 'app_suspended',
      });
    if (params.responseType !== 'code' && !(params.responseType === undefined && params.impliedCode))
      return refuse('unsupported_response_type', 'Only response_type=code is supported.', {
        kind: 'unsupported_response_type',
        given: params.responseType === undefined ? null : capped(params.responseType),
      });
    const unknown = (params.scope ?? '').split(' ').filter((s) => s && !client.scopes.includes(s));
    if (unknown.length > 0)
      return refuse('invalid_scope', `${client.name} does not request: ${unknown.join(', ')}.`, {
        kind: 'scope_not_requested',
        unknown: unknown.slice(0, 20).map(capped),
        requested: client.scopes,
      });
    const pkce = this.challengeProblem(params);
    return (
      pkce &&
      refuse('invalid_request', PKCE_MESSAGES[pkce], { kind: 'pkce_challenge_invalid', problem: pkce })
    );
  }

  private challengeProblem(params: AuthorizationParams): keyof typeof PKCE_MESSAGES | undefined {
    // RFC 7636 §4.3: a challenge without a method means plain, which Porter does not accept.
    if (
      (params.codeChallenge !== undefined || params.codeChallengeMethod !== undefined) &&
      params.codeChallengeMethod !== 'S256'
    )
      return 'method';
    if (params.codeChallenge !== undefined && !isChallenge(params.codeChallenge)) return 'format';
    if (params.codeChallenge === undefined && params.codeChallengeMethod !== undefined)
      return 'method_without_challenge';
    return undefined;
  }

  /** Stores the checked request for this session's consent page: ten minutes, one answer. */
  async open(session: SignedIn, request: ValidRequest): Promise<Pending> {
    const now = Date.now();
    const row: AuthorizationRequestRow = {
      id: newId('azr'),
      session_hash: session.sessionHash,
      app_id: request.client.id,
      redirect_uri: request.redirectUri,
      scopes: JSON.stringify(request.scopes),
      state: request.state ?? null,
      code_challenge: request.codeChallenge ?? null,
      created_at: nowIso(now),
      expires_at: isoAfter(REQUEST_TTL_SECONDS, now),
      used_at: null,
    };
    await repo.insertAuthorizationRequest(this.db, row);
    return { row, client: request.client };
  }

  /** The session's pending request with its client, or undefined when expired, used or not its own. */
  async pending(session: SignedIn, id: string): Promise<Pending | undefined> {
    if (id.length > 64) return undefined;
    const row = await repo.findPendingRequest(this.db, id, session.sessionHash, nowIso());
    const client = row && (await this.clients.findById(row.app_id));
    // What the developer changed in the meantime holds: a removed redirect URL or scope, a suspension.
    if (!row || !client || client.status === 'suspended' || !client.redirectUrls.includes(row.redirect_uri))
      return undefined;
    const scopes = JSON.parse(row.scopes) as string[];
    return scopes.every((s) => client.scopes.includes(s)) ? { row, client } : undefined;
  }

  /**
   * Why this app may not be installed into this company by someone with `role` there, or
   * undefined when it may (the consent page lists companies with the viewer's roles).
   */
  refusal(client: OAuthClient, company: { id: string; role: Role }): string | undefined {
    return ownCompanyRefusal(client, company.id) ?? Policy.refusal(company.role, 'install_apps');
  }

  /**
   * Authorize: uses the request once and mints a code bound to client, redirect, scopes,
   * company, user and PKCE. `company` is one of the viewer's companies with their role there,
   * read for this request; the policy's rule for installing decides on it (`refusal`).
   */
  async approve(
    actor: Actor & { kind: 'user' },
    pending: Pending,
    company: { id: string; role: Role },
  ): Promise<string | undefined> {
    const refused = this.refusal(pending.client, company);
    if (refused) throw new ForbiddenError(refused);
    const now = Date.now();
    const code = mintSecret('authorization_code');
    // One transaction: the request is used and its code stored together (or neither).
    return this.db.transaction().execute(async (trx) => {
      if (!(await repo.usePendingRequest(trx, pending.row.id, nowIso(now)))) return undefined;
      await this.storeCode(trx, code, actor, pending, company.id, now);
      return code;
    });
  }

  private async storeCode(
    trx: Executor,
    code: string,
    actor: Actor & { kind: 'user' },
    pending: Pending,
    companyId: string,
    now: number,
  ): Promise<void> {
    await repo.insertCode(trx, {
      hash: hashSecret(code),
      app_id: pending.client.id,
      company_id: companyId,
      user_id: actor.userId,
      redirect_uri: pending.row.redirect_uri,
      scopes: pending.row.scopes,
      code_challenge: pending.row.code_challenge,
      created_at: nowIso(now),
      expires_at: isoAfter(this.config.codeTtlSeconds, now),
      consumed_at: null,
      token_id: null,
      replayed_at: null,
    });
  }

  /** Decline: uses the request once and records it; false when it was already answered. */
  async decline(actor: Actor & { kind: 'user' }, pending: Pending, companyId: string | undefined) {
    // Asked before the transaction: on SQLite a query outside it would wait for it.
    const member =
      companyId !== undefined && (await this.accounts.roleIn(companyId, actor.userId)) !== undefined;
    return this.db.transaction().execute(async (trx) => {
      if (!(await repo.usePendingRequest(trx, pending.row.id, nowIso()))) return false;
      if (companyId && member)
        await recordAudit(trx, actor, {
          companyId,
          action: 'app.declined',
          targetType: 'app',
          targetId: pending.client.id,
          details: { app_name: pending.client.name },
        });
      return true;
    });
  }

  /** Drops pending requests and codes an hour past their expiry. */
  purgeExpired(): Promise<void> {
    return repo.deleteExpired(this.db, nowIso(Date.now() - 3600_000));
  }
}
