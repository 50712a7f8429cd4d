import type { AppRow } from '../db/schema.js';

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
