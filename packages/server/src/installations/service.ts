import { type Actor, recordAudit } from '../audit/service.js';
import type { Config } from '../config.js';
import type { CredentialsService } from '../credentials/service.js';
import type { Database, Executor } from '../db/database.js';
import { NotFoundError } from '../lib/errors.js';
import { isId, newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { TtlCache } from '../lib/ttl-cache.js';
import type { Signals } from '../ops/signals.js';
import type { Policy } from '../policy.js';
import type { WebhooksService } from '../webhooks/service.js';
import * as repo from './repo.js';

/** An installation as Porter shows it everywhere: token response, /v1/me, introspection, pages. */
export interface InstallationView {
  id: string;
  app: { id: string; name: string };
  company: { id: string; name: string };
  region: string;
  /** The API base URL for the company's region (`PORTER_REGIONS`). */
  api_base_url: string;
  scopes: string[];
  installed_by: { id: string; name: string; email: string } | null;
  installed_at: string;
  updated_at: string;
}

/** Installations of apps into companies: recorded by the token exchange, listed and uninstalled by customers. */
export class InstallationsService {
  private readonly views = new TtlCache<InstallationView>();

  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'publicUrl' | 'regions'>,
    private readonly policy: Policy,
    private readonly credentials: CredentialsService,
    private readonly signals: Signals,
    /** Tells the app about installs, scope changes, uninstalls and suspensions. */
    private readonly webhooks: WebhooksService,
  ) {}

  /** The API base URL of a region; the public URL when the operator configured none for it. */
  apiBaseUrl(region: string): string {
    return this.config.regions[region] ?? this.config.publicUrl;
  }

  view(row: repo.InstallationDetails): InstallationView {
    return {
      id: row.id,
      app: { id: row.app_id, name: row.app_name },
      company: { id: row.company_id, name: row.company_name },
      region: row.company_region,
      api_base_url: this.apiBaseUrl(row.company_region),
      scopes: JSON.parse(row.scopes),
      installed_by: row.user_id
        ? { id: row.user_id, name: row.user_name ?? '', email: row.user_email ?? '' }
        : null,
      installed_at: row.installed_at,
      updated_at: row.updated_at,
    };
  }

  /**
   * Records an authorization inside the exchange's transaction: the first one creates the
   * installation; a later one (or one after an uninstall) updates its scopes and revokes the
   * tokens issued before, so each installation has one live token. The app's webhook is told:
   * `app.installed`, or `app.scopes_updated` when a live installation's scopes changed.
   */
  async record(
    trx: Executor,
    grant: { appId: string; companyId: string; userId: string; scopes: string[] },
    now: string,
  ): Promise<{ view: InstallationView; reauthorized: boolean; revoked: number }> {
    const before = await repo.findBeforeInstall(trx, grant.appId, grant.companyId);
    const fresh = {
      id: newId('ins'),
      app_id: grant.appId,
      company_id: grant.companyId,
      scopes: JSON.stringify(grant.scopes),
      installed_by: grant.userId,
      installed_at: now,
    };
    const { id, installed_at } = await repo.upsertInstallation(trx, fresh);
    // An installation that was live keeps its installed_at: this is a re-authorization, and the
    // token issued before is revoked. One that had been uninstalled starts again from now.
    const revoked = id === fresh.id ? 0 : await this.credentials.revokeInstallationCredentials(trx, id, now);
    const view = await this.get(trx, id);
    if (!view) throw new Error(`installation ${id} vanished in its own transaction`);
    const reauthorized = id !== fresh.id && installed_at !== now;
    if (before.webhookUrl === null) return { view, reauthorized, revoked };
    if (!reauthorized) await this.webhooks.record(trx, 'app.installed', view);
    else if (before.scopes && !sameScopes(before.scopes, grant.scopes))
      await this.webhooks.record(trx, 'app.scopes_updated', view, { previous_scopes: before.scopes });
    return { view, reauthorized, revoked };
  }

  /** One installation's view, read inside a transaction or not. */
  async get(db: Executor, id: string): Promise<InstallationView | undefined> {
    const row = await repo.findInstallationDetails(db, id);
    return row && this.view(row);
  }

  /**
   * One installation's view, or undefined: what `/v1/me` and introspection show for an access
   * token, cached for a second like the bearer check itself (`forgetCached` after a change).
   */
  find(id: string): Promise<InstallationView | undefined> {
    return this.views.through(id, () => this.get(this.db, id));
  }

  /** Forgets the cached views and sends the webhooks: called after a commit that changed an installation. */
  forgetCached(): void {
    this.views.clear();
    this.webhooks.wake();
  }

  /**
   * Tells every live installation of the app that it was suspended, inside the transaction that
   * suspends it (the caller calls forgetCached() after commit).
   */
  async appSuspended(trx: Executor, appId: string): Promise<number> {
    const rows = await repo.listAppInstallations(trx, appId);
    for (const row of rows) await this.webhooks.record(trx, 'app.suspended', this.view(row));
    return rows.length;
  }

  /** Which of these companies have the app installed (live), for the consent page: one query. */
  async installedIn(appId: string, companyIds: string[]): Promise<Set<string>> {
    return new Set(await repo.companiesWithApp(this.db, appId, companyIds));
  }

  /** The company's installed apps, for its owners and admins. */
  async list(actor: Actor, companyId: string): Promise<InstallationView[]> {
    await this.policy.authorize(actor, companyId, 'manage_installations');
    return (await repo.listCompanyInstallations(this.db, companyId)).map((r) => this.view(r));
  }

  /** Uninstalls an app from the company: its tokens are revoked at once. */
  async uninstall(actor: Actor, companyId: string, installationId: string): Promise<InstallationView> {
    await this.policy.authorize(actor, companyId, 'manage_installations');
    if (!isId(installationId, 'ins')) throw new NotFoundError('Installation');
    const view = await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const found = await this.get(trx, installationId);
      if (!found || !(await repo.markUninstalled(trx, companyId, installationId, now)))
        throw new NotFoundError('Installation');
      const revoked = await this.credentials.revokeInstallationCredentials(trx, installationId, now);
      await recordAudit(trx, actor, {
        companyId,
        action: 'app.uninstalled',
        targetType: 'installation',
        targetId: installationId,
        details: { app_id: found.app.id, app_name: found.app.name, revoked_tokens: revoked },
      });
      await this.webhooks.record(trx, 'app.uninstalled', found);
      return found;
    });
    this.forgetCached();
    this.credentials.forgetCachedChecks();
    this.signals.uninstalls += 1;
    return view;
  }

  /** An app's installs and uninstalls per UTC day since `from` (`YYYY-MM-DD`); the caller has authorized. */
  async dailyActivity(
    appId: string,
    from: string,
  ): Promise<Map<string, { installs: number; uninstalls: number }>> {
    const days = new Map<string, { installs: number; uninstalls: number }>();
    for (const row of await repo.dailyInstallEvents(this.db, appId, from)) {
      const counts = days.get(row.day) ?? { installs: 0, uninstalls: 0 };
      if (row.action === 'app.installed') counts.installs += row.count;
      else counts.uninstalls += row.count;
      days.set(row.day, counts);
    }
    return days;
  }
}

function sameScopes(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}
