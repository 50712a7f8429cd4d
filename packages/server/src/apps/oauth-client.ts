import type { Database } from '../db/database.js';
import type { AppRow } from '../db/schema.js';
import { hashSecret, secretMatches } from '../lib/secrets.js';
import { TtlCache } from '../lib/ttl-cache.js';
import type { LastUsed } from '../usage/last-used.js';
import * as repo from './repo.js';

/** An app as the authorization server sees it: an OAuth client, without its secret. */
export interface OAuthClient {
  id: string;
  companyId: string;
  /** The developer company's name, shown on the consent page. */
  developer: string;
  name: string;
  logoUrl: string | null;
  status: AppRow['status'];
  clientId: string;
  redirectUrls: string[];
  scopes: string[];
  allowedOrigins: string[];
}

export interface CachedClient {
  client: OAuthClient;
  secretHash: string | null;
  /** The previous secret's hash, accepted until `previousUntil` (ms) — the overlap window. */
  previousHash: string | null;
  previousUntil: number;
}

export function clientEntry(
  app: (AppRow & { developer_name: string }) | undefined,
): CachedClient | undefined {
  if (!app?.client_id) return undefined;
  return {
    client: clientOf({ ...app, client_id: app.client_id }),
    secretHash: app.client_secret_hash,
    previousHash: app.previous_client_secret_hash,
    previousUntil: app.previous_secret_expires_at ? Date.parse(app.previous_secret_expires_at) : 0,
  };
}

function clientOf(app: AppRow & { client_id: string; developer_name: string }): OAuthClient {
  return {
    id: app.id,
    companyId: app.company_id,
    developer: app.developer_name,
    name: app.name,
    logoUrl: app.logo_url,
    status: app.status,
    clientId: app.client_id,
    redirectUrls: JSON.parse(app.redirect_urls),
    scopes: JSON.parse(app.scopes),
    allowedOrigins: JSON.parse(app.allowed_origins),
  };
}

/**
 * The apps as the authorization server reads them several times per install: OAuth clients by
 * client id or app id, and client authentication. Cached for a second (a change made by another
 * process holds within it) and forgotten at once after a change in this process.
 */
export class OAuthClients {
  private readonly cache = new TtlCache<CachedClient>();

  constructor(
    private readonly db: Database,
    /** Notes each client secret's use (written at most once a minute by the usage flush). */
    private readonly lastUsed: LastUsed,
  ) {}

  /** The distributed app with this client id (not deleted), or undefined. */
  async find(clientId: string): Promise<OAuthClient | undefined> {
    return (await this.cachedClient(clientId))?.client;
  }

  /** The distributed app with this app id (not deleted), or undefined. */
  async findById(appId: string): Promise<OAuthClient | undefined> {
    const found = await this.cache.through(`app:${appId}`, async () =>
      clientEntry(await repo.findLiveApp(this.db, appId)),
    );
    return found?.client;
  }

  /**
   * The client whose id and secret these are (RFC 6749 §2.3.1), compared in constant time; a
   * suspended app's credentials still identify it, and the caller refuses it.
   */
  async authenticate(clientId: string, secret: string): Promise<OAuthClient | undefined> {
    const found = await this.cachedClient(clientId);
    if (!found) return undefined;
    // Each comparison is constant-time; the previous secret counts only inside its window.
    const hash =
      found.secretHash !== null && secretMatches(secret, found.secretHash)
        ? found.secretHash
        : found.previousHash !== null &&
            Date.now() < found.previousUntil &&
            secretMatches(secret, found.previousHash)
          ? found.previousHash
          : undefined;
    if (hash === undefined) return undefined;
    this.lastUsed.secret(hash);
    return found.client;
  }

  /**
   * When the app's previous client secret stopped working, if `secret` is that secret and its
   * overlap window has ended (the install debugger's "deploy the new secret"); else undefined.
   */
  async expiredPreviousSecret(clientId: string, secret: string): Promise<string | undefined> {
    const found = await this.cachedClient(clientId);
    if (!found?.previousHash || Date.now() < found.previousUntil) return undefined;
    return secretMatches(secret, found.previousHash)
      ? new Date(found.previousUntil).toISOString()
      : undefined;
  }

  /** The app whose client secret this is, found by its hash (the install debugger's "whose secret?"). */
  async findBySecret(secret: string): Promise<OAuthClient | undefined> {
    return clientEntry(await repo.findAppBySecretHash(this.db, hashSecret(secret)))?.client;
  }

  /**
   * Clients as the authorization server reads them several times per install: cached for a
   * second (so a change made by another process holds within it) and forgotten at once when
   * this process changes an app.
   */
  private cachedClient(clientId: string): Promise<CachedClient | undefined> {
    if (clientId.length === 0 || clientId.length > 64) return Promise.resolve(undefined);
    return this.cache.through(`client:${clientId}`, async () =>
      clientEntry(await repo.findAppByClientId(this.db, clientId)),
    );
  }

  /**
   * Forgets the cached clients: after a change to an app (its settings, a platform admin's
   * suspension, a review's decision), the install flow and the token endpoint see it at once.
   */
  forget(): void {
    this.cache.clear();
  }
}
