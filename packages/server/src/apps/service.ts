import type { Updateable } from 'kysely';
import { type Actor, auditTrail, latestAuditEvent, recordAudit } from '../audit/service.js';
import type { Config } from '../config.js';
import type { CredentialsService } from '../credentials/service.js';
import type { Database, Executor } from '../db/database.js';
import type { AppRow, AppsTable, AuditEvent } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.js';
import { isId, newId, randomBase32 } from '../lib/ids.js';
import { hashSecret, mintSecret } from '../lib/secrets.js';
import { nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import type { Policy } from '../policy.js';
import type { OAuthClients } from './oauth-client.js';
import * as repo from './repo.js';
import { type AppFieldsInput, appFields, distribution, regenerateSecret } from './schemas.js';

/** An app as the portal, the developer API and the CLI show it: its row with lists parsed, no secrets. */
export type AppView = Omit<
  AppRow,
  | 'scopes'
  | 'redirect_urls'
  | 'allowed_origins'
  | 'client_secret_hash'
  | 'previous_client_secret_hash'
  | 'previous_secret_expires_at'
  | 'previous_secret_last_used_at'
  | 'listing_draft'
  | 'status_before_suspension'
  | 'deleted_at'
> & {
  scopes: string[];
  redirect_urls: string[];
  allowed_origins: string[];
  distribution_url: string | null;
  /** When the app's API key last authenticated a request (to the minute), or null. */
  api_key_last_used_at: string | null;
  /** The previous client secret during its overlap window; null once it has stopped working. */
  previous_client_secret: { expires_at: string; last_used_at: string | null } | null;
};

/** An app's row as the portal reads it: with its live API key's last use. */
export type AppWithKeyUse = AppRow & { api_key_last_used_at?: string | null };

/** The distribution URL: the install link a developer shares (built, never stored, so it cannot go stale). */
export function distributionUrl(
  publicUrl: string,
  app: Pick<AppRow, 'client_id' | 'redirect_urls' | 'scopes'>,
): string | null {
  const redirect = (JSON.parse(app.redirect_urls) as string[])[0];
  if (!app.client_id || !redirect) return null;
  const query = new URLSearchParams({
    client_id: app.client_id,
    redirect_uri: redirect,
    scope: (JSON.parse(app.scopes) as string[]).join(' '),
  });
  return `${publicUrl}/integrations/oauth-install?${query.toString().replaceAll('+', '%20')}`;
}

function sameScopes(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}

/** Apps of a developer company: creation, settings, API key, distribution credentials, deletion. */
export class AppsService {
  private readonly fields;
  private readonly patch;

  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'publicUrl' | 'scopes' | 'webhooks'>,
    private readonly policy: Policy,
    /** Issues and revokes the app's credentials inside the app's transactions. */
    private readonly credentials: CredentialsService,
    /** The apps as the authorization server reads them: forgotten after each change here. */
    private readonly clients: OAuthClients,
  ) {
    this.fields = appFields(config.scopes, config.webhooks.allowPrivate);
    this.patch = this.fields.partial();
  }

  view(app: AppWithKeyUse, now = Date.now()): AppView {
    const overlapping =
      app.previous_client_secret_hash !== null &&
      app.previous_secret_expires_at !== null &&
      Date.parse(app.previous_secret_expires_at) > now;
    return {
      id: app.id,
      company_id: app.company_id,
      name: app.name,
      description: app.description,
      logo_url: app.logo_url,
      homepage_url: app.homepage_url,
      webhook_url: app.webhook_url,
      scopes: JSON.parse(app.scopes),
      redirect_urls: JSON.parse(app.redirect_urls),
      allowed_origins: JSON.parse(app.allowed_origins),
      status: app.status,
      client_id: app.client_id,
      distribution_url: distributionUrl(this.config.publicUrl, app),
      api_key_last_used_at: app.api_key_last_used_at ?? null,
      client_secret_last_used_at: app.client_secret_last_used_at,
      previous_client_secret:
        overlapping && app.previous_secret_expires_at
          ? { expires_at: app.previous_secret_expires_at, last_used_at: app.previous_secret_last_used_at }
          : null,
      created_at: app.created_at,
      updated_at: app.updated_at,
    };
  }

  /** Answers whether the actor may manage the company's apps, before any transaction opens. */
  private authorize(actor: Actor, companyId: string): Promise<void> {
    return this.policy.authorize(actor, companyId, 'manage_apps');
  }

  // Inside a transaction every query must use `db`: SQLite has one connection, and a query on
  // the pool would wait for the transaction that waits for it. The caller has authorized.
  private async load(db: Executor, companyId: string, appId: string, lock = false): Promise<AppWithKeyUse> {
    if (!isId(appId, 'app')) throw new NotFoundError('App');
    // Locks the app's row first (PostgreSQL), so concurrent changes to one app run one after
    // the other: two regenerations cannot both leave a live key.
    if (lock && !(await repo.touchCompanyApp(db, companyId, appId, nowIso()))) throw new NotFoundError('App');
    const app = await repo.findCompanyApp(db, companyId, appId);
    if (!app) throw new NotFoundError('App');
    return app;
  }

  /** Creates a private app and its API key (returned once, stored hashed). */
  async create(
    actor: Actor,
    companyId: string,
    input: AppFieldsInput,
  ): Promise<{ app: AppView; apiKey: string }> {
    const data = parseInput(this.fields, input);
    await this.authorize(actor, companyId);
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const app: AppRow = {
        id: newId('app'),
        company_id: companyId,
        name: data.name,
        description: data.description ?? '',
        logo_url: data.logo_url ?? null,
        homepage_url: data.homepage_url ?? null,
        webhook_url: data.webhook_url ?? null,
        scopes: JSON.stringify(data.scopes),
        redirect_urls: JSON.stringify(data.redirect_urls ?? []),
        allowed_origins: JSON.stringify(data.allowed_origins ?? []),
        status: 'private',
        client_id: null,
        client_secret_hash: null,
        previous_client_secret_hash: null,
        previous_secret_expires_at: null,
        client_secret_last_used_at: null,
        previous_secret_last_used_at: null,
        listing_draft: null,
        status_before_suspension: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      await repo.insertApp(trx, app);
      const apiKey = await this.credentials.issueApiKey(trx, app, now);
      await recordAudit(trx, actor, {
        companyId,
        action: 'app.created',
        targetType: 'app',
        targetId: app.id,
        details: { name: app.name },
      });
      return { app: this.view(app), apiKey };
    });
  }

  async list(actor: Actor, companyId: string): Promise<AppView[]> {
    await this.authorize(actor, companyId);
    return (await repo.listCompanyApps(this.db, companyId)).map((a) => this.view(a));
  }

  async get(actor: Actor, companyId: string, appId: string): Promise<AppView> {
    await this.authorize(actor, companyId);
    return this.view(await this.load(this.db, companyId, appId));
  }

  /**
   * One audited change to one app: in a transaction, with the app's row locked, then the audit
   * event. `affectsBearer`: the change revokes or re-scopes credentials, so the bearer cache of
   * this process is cleared after commit and they stop working at once.
   */
  private async change<T>(
    target: { actor: Actor; companyId: string; appId: string },
    action: string,
    work: (trx: Executor, app: AppRow) => Promise<{ result: T; details?: Record<string, unknown> }>,
    affectsBearer = false,
  ): Promise<T> {
    const { actor, companyId, appId } = target;
    await this.authorize(actor, companyId);
    const result = await this.db.transaction().execute(async (trx) => {
      const app = await this.load(trx, companyId, appId, true);
      const { result, details } = await work(trx, app);
      await recordAudit(trx, actor, { companyId, action, targetType: 'app', targetId: appId, details });
      return result;
    });
    this.clients.forget();
    if (affectsBearer) this.credentials.forgetCachedChecks();
    return result;
  }

  /** Stores changes to an app and answers the changed app. */
  private async save(trx: Executor, app: AppRow, changes: Updateable<AppsTable>): Promise<AppRow> {
    const next = { ...changes, updated_at: nowIso() };
    await repo.updateCompanyApp(trx, app.company_id, app.id, next);
    return { ...app, ...next } as AppRow;
  }

  /** Changes an app's settings; a distributed app keeps at least one redirect URL. */
  async update(
    actor: Actor,
    companyId: string,
    appId: string,
    input: Partial<AppFieldsInput>,
  ): Promise<AppView> {
    const data = parseInput(this.patch, input);
    const changes: Updateable<AppsTable> = {};
    for (const [field, value] of Object.entries(data)) {
      if (value === undefined) continue;
      Object.assign(changes, { [field]: Array.isArray(value) ? JSON.stringify(value) : value });
    }
    // Scopes decide what the app's API key may do.
    return this.change(
      { actor, companyId, appId },
      'app.updated',
      async (trx, app) => {
        if (app.client_id && data.redirect_urls?.length === 0) {
          throw new ValidationError({ redirect_urls: 'a distributed app needs at least one redirect URL' });
        }
        // Customers of a published app are offered only reviewed scopes: a change goes through review.
        const published = app.status === 'published' || app.status_before_suspension === 'published';
        if (published && data.scopes && !sameScopes(data.scopes, JSON.parse(app.scopes))) {
          throw new ValidationError({
            scopes: 'the app is published: change its scopes on the Listing tab and submit them for review',
          });
        }
        return {
          result: this.view(await this.save(trx, app, changes)),
          details: { fields: Object.keys(changes) },
        };
      },
      data.scopes !== undefined,
    );
  }

  /**
   * Enables distribution: stores the redirect URLs, generates the client ID and secret (the
   * secret returned once), and makes the app `unlisted`.
   */
  async enableDistribution(
    actor: Actor,
    companyId: string,
    appId: string,
    input: { redirect_urls: unknown },
  ): Promise<{ app: AppView; clientSecret: string }> {
    const { redirect_urls } = parseInput(distribution, input);
    return this.change({ actor, companyId, appId }, 'app.distribution_enabled', async (trx, app) => {
      if (app.client_id) {
        throw new ConflictError(
          'Distribution is already enabled. Regenerate the client secret to get a new one.',
        );
      }
      if (app.status === 'suspended') throw new ConflictError('A suspended app cannot be distributed.');
      const clientSecret = mintSecret('client_secret');
      const saved = await this.save(trx, app, {
        redirect_urls: JSON.stringify(redirect_urls),
        client_id: randomBase32(20),
        client_secret_hash: hashSecret(clientSecret),
        status: 'unlisted',
      });
      return {
        result: { app: this.view(saved), clientSecret },
        details: { client_id: saved.client_id, redirect_urls },
      };
    });
  }

  /**
   * A new client secret. The old one stops working at once, or keeps working for `keep_old`
   * (minutes, up to 24 hours) so a partner can deploy the new one without downtime; a secret
   * still in an earlier overlap window is cut now (two secrets at most). `now` is the
   * regeneration's time (a test moves it back to see a window end).
   */
  async regenerateClientSecret(
    actor: Actor,
    companyId: string,
    appId: string,
    input: { keep_old?: unknown } = {},
    now = Date.now(),
  ): Promise<{ app: AppView; clientSecret: string }> {
    const { keep_old: minutes } = parseInput(regenerateSecret, input);
    return this.change({ actor, companyId, appId }, 'app.client_secret_regenerated', async (trx, app) => {
      if (!app.client_id)
        throw new ConflictError('Enable distribution first: the app has no client credentials yet.');
      const clientSecret = mintSecret('client_secret');
      const keep = minutes > 0 && app.client_secret_hash !== null;
      const expiresAt = keep ? nowIso(now + minutes * 60_000) : null;
      const saved = await this.save(trx, app, {
        client_secret_hash: hashSecret(clientSecret),
        client_secret_last_used_at: null,
        previous_client_secret_hash: keep ? app.client_secret_hash : null,
        previous_secret_expires_at: expiresAt,
        previous_secret_last_used_at: keep ? app.client_secret_last_used_at : null,
      });
      return {
        result: { app: this.view(saved, now), clientSecret },
        details: { keep_old_minutes: keep ? minutes : 0, previous_expires_at: expiresAt },
      };
    });
  }

  /** Ends the previous client secret's overlap window now: it stops working at once. */
  async endPreviousClientSecret(actor: Actor, companyId: string, appId: string): Promise<AppView> {
    return this.change({ actor, companyId, appId }, 'app.previous_client_secret_ended', async (trx, app) => {
      const saved = await this.save(trx, app, {
        previous_client_secret_hash: null,
        previous_secret_expires_at: null,
        previous_secret_last_used_at: null,
      });
      return { result: this.view(saved) };
    });
  }

  /** A new API key; the old one stops working at once. */
  async regenerateApiKey(
    actor: Actor,
    companyId: string,
    appId: string,
  ): Promise<{ app: AppView; apiKey: string }> {
    return this.change(
      { actor, companyId, appId },
      'app.api_key_regenerated',
      async (trx, app) => {
        const now = nowIso();
        await this.credentials.revokeAppCredentials(trx, app.id, now, ['api_key']);
        return { result: { app: this.view(app), apiKey: await this.credentials.issueApiKey(trx, app, now) } };
      },
      true,
    );
  }

  /** Deletes an app: every credential it issued (API key, install tokens) is revoked with it. */
  async delete(
    actor: Actor,
    companyId: string,
    appId: string,
    confirmName?: string,
  ): Promise<{ revokedTokens: number }> {
    return this.change(
      { actor, companyId, appId },
      'app.deleted',
      async (trx, app) => {
        if (confirmName !== undefined && confirmName.trim() !== app.name) {
          throw new ValidationError({ confirm_name: `type the app's name, ${app.name}, to confirm` });
        }
        const now = nowIso();
        const revokedTokens = await this.credentials.revokeAppCredentials(trx, app.id, now);
        await this.save(trx, app, {
          status: 'deleted',
          deleted_at: now,
          client_secret_hash: null,
          previous_client_secret_hash: null,
          previous_secret_expires_at: null,
        });
        return { result: { revokedTokens }, details: { name: app.name, revoked_tokens: revokedTokens } };
      },
      true,
    );
  }

  /** Why and when the platform's admins suspended the app (its latest `app.suspended`), or undefined. */
  async suspension(
    actor: Actor,
    companyId: string,
    appId: string,
  ): Promise<{ reason: string; at: string } | undefined> {
    const app = await this.get(actor, companyId, appId);
    if (app.status !== 'suspended') return undefined;
    const event = await latestAuditEvent(this.db, companyId, appId, 'app.suspended');
    if (!event) return undefined;
    const { reason } = JSON.parse(event.details) as { reason?: unknown };
    return { reason: typeof reason === 'string' ? reason : '', at: event.created_at };
  }

  /** The app's audit log, newest first. */
  async auditLog(actor: Actor, companyId: string, appId: string): Promise<AuditEvent[]> {
    await this.get(actor, companyId, appId);
    return auditTrail(this.db, companyId, appId);
  }
}
