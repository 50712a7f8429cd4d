import { z } from 'zod';
import type { CredentialsService } from '../credentials/service.js';
import type { Database } from '../db/database.js';
import type { InstallationsService, InstallationView } from '../installations/service.js';
import { newId } from '../lib/ids.js';
import { hashSecret, mintSecret, secretKind } from '../lib/secrets.js';
import { nowIso } from '../lib/time.js';
import { parseInput, plainText } from '../lib/validation.js';
import * as repo from './repo.js';

/** RFC 7662 §2.2: what an introspection answers; inactive is exactly `{ "active": false }`. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id: string | undefined;
      token_type: 'Bearer';
      iat: number;
      iss: string;
      sub: string;
      company_id: string;
      credential: 'api_key' | 'access_token';
      installation?: InstallationView;
    };

const INACTIVE = { active: false } as const;
const name = z.object({ name: plainText(z, 80) });

/** Introspection for the operator's resource servers, and the credentials they use for it. */
export class IntrospectionService {
  constructor(
    private readonly db: Database,
    private readonly issuer: string,
    private readonly credentials: CredentialsService,
    private readonly installations: InstallationsService,
  ) {}

  /** A resource-server credential (porter_rs_…), returned once, stored hashed. */
  async createResourceServer(input: {
    name: unknown;
  }): Promise<{ id: string; name: string; secret: string }> {
    const data = parseInput(name, input);
    const secret = mintSecret('resource_server');
    const id = newId('rsv');
    await repo.insertResourceServer(this.db, {
      id,
      name: data.name,
      hash: hashSecret(secret),
      created_at: nowIso(),
    });
    return { id, name: data.name, secret };
  }

  /** The resource server these credentials belong to, or undefined. */
  async authenticateResourceServer(secret: string): Promise<{ id: string; name: string } | undefined> {
    if (secretKind(secret) !== 'resource_server') return undefined;
    return repo.findLiveResourceServer(this.db, hashSecret(secret));
  }

  /** RFC 7662: what a token is; anything not live and app-bound is `{ active: false }`. */
  async introspect(token: string): Promise<Introspection> {
    const p = await this.credentials.authenticate(token);
    if (!p || (p.kind !== 'api_key' && p.kind !== 'access_token')) return INACTIVE;
    const installation = p.installationId ? await this.installations.find(p.installationId) : undefined;
    return {
      active: true,
      scope: p.scopes.join(' '),
      client_id: p.clientId ?? undefined,
      token_type: 'Bearer',
      iat: Math.floor(Date.parse(p.createdAt) / 1000),
      iss: this.issuer,
      sub: p.companyId,
      company_id: p.companyId,
      credential: p.kind,
      ...(installation ? { installation } : {}),
    };
  }
}
