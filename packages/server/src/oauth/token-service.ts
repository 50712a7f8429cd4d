import type { ClientAuthThrottle } from '../accounts/throttle.js';
import type { OAuthClient, OAuthClients } from '../apps/oauth-client.js';
import { type Actor, recordAudit } from '../audit/service.js';
import type { CredentialsService } from '../credentials/service.js';
import type { Database, Executor } from '../db/database.js';
import type { AuthorizationCodeRow } from '../db/schema.js';
import { capped, type FailureCause } from '../debugger/causes.js';
import type { InstallationsService, InstallationView } from '../installations/service.js';
import { newId } from '../lib/ids.js';
import { hashSecret, secretKind } from '../lib/secrets.js';
import { nowIso } from '../lib/time.js';
import type { Signals } from '../ops/signals.js';
import { OAuthError } from './errors.js';
import { verifierMatches } from './pkce.js';
import * as repo from './repo.js';

/** Client credentials as presented (RFC 6749 §2.3.1): from HTTP Basic or the body. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Sent with HTTP Basic: a failure answers with a Basic challenge (§5.2). */
  basic: boolean;
}

/** A token request for the authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface CodeExchange {
  code: string;
  /** Required and compared, except by conventions that do not send it (NotifyVisitors). */
  redirectUri: string | undefined;
  checkRedirectUri: boolean;
  codeVerifier: string | undefined;
}

/** A successful exchange: the token (shown once) and the installation it acts for. */
export interface Issued {
  accessToken: string;
  scopes: string[];
  installation: InstallationView;
  client: OAuthClient;
  userId: string;
}

const grantError = (message: string, appId: string, cause: FailureCause) =>
  new OAuthError('invalid_grant', message, { failure: { appId, cause } });

const secondsSince = (iso: string, now: number) => Math.max(0, Math.round((now - Date.parse(iso)) / 1000));

function ago(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** The token endpoint's rules: client authentication, the code exchange, revocation. */
export class TokenService {
  constructor(
    private readonly db: Database,
    private readonly clients: OAuthClients,
    private readonly credentials: CredentialsService,
    private readonly installations: InstallationsService,
    private readonly throttle: ClientAuthThrottle,
    private readonly signals: Signals,
  ) {}

  /** RFC 6749 §2.3.1: the client these credentials belong to; failures from one address are throttled. */
  async authenticate(presented: ClientCredentials, ip: string): Promise<OAuthClient> {
    await this.throttle.check(ip);
    const client = await this.clients.authenticate(presented.clientId, presented.clientSecret);
    if (client) return client;
    await this.throttle.failed(ip);
    throw new OAuthError(
      'invalid_client',
      'Client authentication failed: unknown client ID or wrong client secret.',
      // The debugger's lookup must not turn a 401 into a 500: without it, nothing is recorded.
      { failure: await this.authenticationFailure(presented).catch(() => undefined) },
    );
  }

  /**
   * Which app a failed client authentication is about, and why: the app of the client ID (a
   * wrong secret, or another app's), or else the app whose secret it is (a mistyped client ID).
   * Only the secret's hash is looked up; an unknown id with an unknown secret is nobody's.
   */
  private async authenticationFailure({ clientId, clientSecret }: ClientCredentials) {
    const named = await this.clients.find(clientId);
    const owner =
      secretKind(clientSecret) === 'client_secret'
        ? await this.clients.findBySecret(clientSecret)
        : undefined;
    if (named) {
      const expiredAt = owner ? undefined : await this.clients.expiredPreviousSecret(clientId, clientSecret);
      const cause: FailureCause =
        owner && owner.id !== named.id
          ? { kind: 'secret_for_other_client', clientId: owner.clientId }
          : expiredAt
            ? { kind: 'previous_secret_expired', expiredAt }
            : { kind: 'secret_mismatch' };
      return { appId: named.id, cause };
    }
    if (!owner) return undefined;
    return { appId: owner.id, cause: { kind: 'client_id_unknown' as const, given: capped(clientId) } };
  }

  /** The client a code was issued to, for conventions that send only the code and the secret. */
  async clientOfCode(code: string): Promise<string | undefined> {
    if (secretKind(code) !== 'authorization_code') return undefined;
    const row = await repo.findCode(this.db, hashSecret(code));
    return row ? (await this.clients.findById(row.app_id))?.clientId : undefined;
  }

  /**
   * Exchanges a code for an access token. Redeeming is one conditional update, so of concurrent
   * exchanges exactly one wins; the code stays spent even when a later check fails (a wrong PKCE
   * verifier cannot be retried). A code that comes back after that is a replay: refused, and the
   * token it issued is revoked (RFC 6749 §4.1.2, RFC 9700 §4.5).
   */
  async exchange(client: OAuthClient, request: CodeExchange): Promise<Issued> {
    try {
      const issued = await this.redeem(client, request);
      this.signals.exchanged('issued');
      return issued;
    } catch (err) {
      this.signals.exchanged(err instanceof OAuthError ? err.code : 'server_error');
      throw err;
    }
  }

  private async redeem(client: OAuthClient, request: CodeExchange): Promise<Issued> {
    if (client.status === 'suspended')
      throw new OAuthError('unauthorized_client', `${client.name} is suspended.`, {
        failure: { appId: client.id, cause: { kind: 'app_suspended' } },
      });
    const now = Date.now();
    const hash = hashSecret(request.code);
    if (secretKind(request.code) !== 'authorization_code')
      throw grantError('The code is unknown or expired.', client.id, { kind: 'code_unknown' });
    // One transaction redeems the code and issues the token. A code that fails a check stays
    // spent: the transaction commits its consumption and the refusal is thrown after it.
    // The code records the id of the token it is about to issue; a refused code records an id
    // no token will have.
    const tokenId = newId('tok');
    const outcome = await this.db.transaction().execute(async (trx) => {
      const code = await repo.consumeCode(trx, hash, client.id, tokenId, nowIso(now));
      if (!code) return { unusable: true as const };
      const refusal = this.refusalOf(client, code, request, now);
      if (refusal) return { refusal };
      return { issued: await this.issue(trx, client, code, tokenId, now) };
    });
    if ('unusable' in outcome) return this.refuseUnusable(client, hash);
    if ('refusal' in outcome) throw outcome.refusal;
    this.installations.forgetCached();
    if (outcome.issued.revoked > 0) this.credentials.forgetCachedChecks();
    if (!outcome.issued.reauthorized) this.signals.installs += 1;
    return outcome.issued.result;
  }

  private refusalOf(
    client: OAuthClient,
    code: AuthorizationCodeRow,
    request: CodeExchange,
    now: number,
  ): OAuthError | undefined {
    const refuse = (message: string, cause: FailureCause) => grantError(message, client.id, cause);
    if (code.app_id !== client.id)
      return refuse('The code was issued to another client.', { kind: 'code_unknown' });
    if (Date.parse(code.expires_at) <= now) {
      const expiredSecondsAgo = secondsSince(code.expires_at, now);
      return refuse(`The code expired ${ago(expiredSecondsAgo)} ago.`, {
        kind: 'code_expired',
        expiredSecondsAgo,
      });
    }
    // RFC 6749 §4.1.3: the same redirect_uri as in the authorization request.
    if (request.checkRedirectUri && request.redirectUri !== code.redirect_uri)
      return refuse('redirect_uri differs from the one in the authorization request.', {
        kind: 'redirect_uri_differs',
        given: capped(request.redirectUri ?? ''),
        expected: code.redirect_uri,
      });
    return this.verifierRefusal(client, code, request);
  }

  /** RFC 7636 §4.6: the verifier matches the challenge; none is sent when there was none. */
  private verifierRefusal(client: OAuthClient, code: AuthorizationCodeRow, request: CodeExchange) {
    const refuse = (message: string, cause: FailureCause) => grantError(message, client.id, cause);
    if (code.code_challenge) {
      if (!request.codeVerifier)
        return refuse('code_verifier is required: the authorization request had a code_challenge.', {
          kind: 'pkce_verifier_missing',
        });
      if (!verifierMatches(request.codeVerifier, code.code_challenge))
        return refuse('code_verifier does not match the code_challenge.', { kind: 'pkce_mismatch' });
    } else if (request.codeVerifier) {
      return refuse('code_verifier sent, but the authorization request had no code_challenge.', {
        kind: 'pkce_verifier_unexpected',
      });
    }
    return undefined;
  }

  private async refuseUnusable(client: OAuthClient, hash: string): Promise<never> {
    const now = Date.now();
    const replayed = await repo.markReplayed(this.db, hash, client.id, nowIso(now));
    if (!replayed || replayed.app_id !== client.id)
      throw grantError('The code is unknown or expired.', client.id, { kind: 'code_unknown' });
    const actor: Actor = { kind: 'operator', label: `client ${client.clientId}` };
    const revoked = await this.db.transaction().execute(async (trx) => {
      const revoked = replayed.token_id
        ? await this.credentials.revokeTokenById(trx, replayed.token_id, nowIso())
        : false;
      await recordAudit(trx, actor, {
        companyId: replayed.company_id,
        action: 'code.replayed',
        targetType: 'app',
        targetId: client.id,
        details: { app_name: client.name, token_revoked: revoked },
      });
      return revoked;
    });
    this.credentials.forgetCachedChecks();
    throw grantError('The code was already used; the token issued with it has been revoked.', client.id, {
      kind: 'code_used',
      usedSecondsAgo: secondsSince(replayed.consumed_at ?? nowIso(now), now),
      tokenRevoked: revoked,
    });
  }

  private async issue(
    trx: Executor,
    client: OAuthClient,
    code: AuthorizationCodeRow,
    tokenId: string,
    now: number,
  ) {
    const at = nowIso(now);
    const scopes = JSON.parse(code.scopes) as string[];
    const grant = { appId: client.id, companyId: code.company_id, userId: code.user_id, scopes };
    const installation = await this.installations.record(trx, grant, at);
    // Issued in the transaction that spent the code: a replay waits for it (the code's row is
    // locked on PostgreSQL; SQLite runs one transaction at a time), then revokes this token.
    const token = await this.credentials.issueAccessToken(
      trx,
      { ...grant, installationId: installation.view.id },
      at,
      tokenId,
    );
    await recordAudit(
      trx,
      { kind: 'user', userId: code.user_id, label: `client ${client.clientId}` },
      {
        companyId: code.company_id,
        action: installation.reauthorized ? 'app.reauthorized' : 'app.installed',
        targetType: 'installation',
        targetId: installation.view.id,
        details: { app_id: client.id, app_name: client.name, scopes },
      },
    );
    const result: Issued = {
      accessToken: token.token,
      scopes,
      installation: installation.view,
      client,
      userId: code.user_id,
    };
    return { result, revoked: installation.revoked, reauthorized: installation.reauthorized };
  }

  /** RFC 7009: revokes a token the client holds; unknown or foreign tokens are ignored (§2.2). */
  async revoke(client: OAuthClient, token: string): Promise<void> {
    const principal = await this.credentials.authenticate(token);
    if (principal?.kind !== 'access_token' || principal.appId !== client.id) return;
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.credentials.revokeTokenById(trx, principal.tokenId, nowIso()))) return;
      await recordAudit(
        trx,
        { kind: 'operator', label: `client ${client.clientId}` },
        {
          companyId: principal.companyId,
          action: 'token.revoked',
          targetType: 'installation',
          targetId: principal.installationId ?? principal.tokenId,
          details: { app_id: client.id, app_name: client.name },
        },
      );
    });
    this.credentials.forgetCachedChecks();
  }
}
