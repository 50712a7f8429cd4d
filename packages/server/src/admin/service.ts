import type { AccountsService } from '../accounts/service.js';
import type { OAuthClients } from '../apps/oauth-client.js';
import { type Actor, auditTrail, recordAudit } from '../audit/service.js';
import type { CredentialsService } from '../credentials/service.js';
import type { Database } from '../db/database.js';
import type { AppStatus, AuditEvent } from '../db/schema.js';
import type { InstallationsService } from '../installations/service.js';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.js';
import { isId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { parseInput } from '../lib/validation.js';
import type { Policy } from '../policy.js';
import * as repo from './repo.js';
import {
  type AuditQuery,
  appListQuery,
  auditQuery,
  companyListQuery,
  suspendInput,
  timeBound,
} from './schemas.js';

/** How many rows a page of the admin area lists. */
export const PAGE_SIZE = 50;

/** One page of a list, and whether another follows. */
export interface Page<T> {
  items: T[];
  page: number;
  hasNext: boolean;
}

/** An audit event as the admin area and `porter admin audit` show it. */
export interface AdminAuditEvent {
  id: string;
  created_at: string;
  actor: string;
  actor_user_id: string | null;
  action: string;
  company: { id: string; name: string | null } | null;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
}

export type AdminApp = Awaited<ReturnType<typeof repo.listApps>>[number];
export type AdminAppDetails = NonNullable<Awaited<ReturnType<typeof repo.findApp>>>;
export type AdminCompany = Awaited<ReturnType<typeof repo.listCompanies>>[number];

interface Deps {
  accounts: AccountsService;
  clients: OAuthClients;
  credentials: CredentialsService;
  installations: InstallationsService;
}

function pageOf<T>(rows: T[], page: number): Page<T> {
  return { items: rows.slice(0, PAGE_SIZE), page, hasNext: rows.length > PAGE_SIZE };
}

const rowsOf = (page: number) => ({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE + 1 });

export function auditEventOf(e: AuditEvent & { company_name: string | null }): AdminAuditEvent {
  return {
    id: e.id,
    created_at: e.created_at,
    actor: e.actor,
    actor_user_id: e.actor_user_id,
    action: e.action,
    company: e.company_id ? { id: e.company_id, name: e.company_name } : null,
    target_type: e.target_type,
    target_id: e.target_id,
    details: JSON.parse(e.details) as Record<string, unknown>,
  };
}

/**
 * The platform admins' view of every company: apps and their suspension, companies, and the
 * audit log. Every method asks policy.authorizePlatform first.
 */
export class AdminService {
  constructor(
    private readonly db: Database,
    private readonly policy: Policy,
    private readonly deps: Deps,
  ) {}

  /** Every app but deleted ones, newest first, filtered by status and name or client ID. */
  async apps(actor: Actor, input: unknown): Promise<Page<AdminApp>> {
    await this.policy.authorizePlatform(actor);
    const { status, q, page } = parseInput(appListQuery, input);
    return pageOf(await repo.listApps(this.db, { status, q }, rowsOf(page)), page);
  }

  /** One app (deleted ones too), its live installations and its history (its audit events). */
  async app(actor: Actor, appId: string) {
    await this.policy.authorizePlatform(actor);
    const app = isId(appId, 'app') ? await repo.findApp(this.db, appId) : undefined;
    if (!app) throw new NotFoundError('App');
    const [installations, history] = await Promise.all([
      repo.appInstallations(this.db, appId),
      auditTrail(this.db, app.company_id, appId),
    ]);
    return { app, installations, history };
  }

  /**
   * Suspends an app: its API key and every access token are refused, and it cannot be installed
   * or exchange codes, until it is unsuspended. Its live installations are told by webhook
   * (`app.suspended`), and its developers see the reason on the app's page.
   */
  async suspend(actor: Actor, appId: string, input: { reason: unknown }) {
    await this.policy.authorizePlatform(actor);
    const { reason } = parseInput(suspendInput, input);
    const result = await this.db.transaction().execute(async (trx) => {
      const app = isId(appId, 'app') ? await repo.findApp(trx, appId) : undefined;
      if (!app) throw new NotFoundError('App');
      if (app.status === 'deleted') throw new ConflictError('A deleted app cannot be suspended.');
      if (app.status === 'suspended') throw new ConflictError(`${app.name} is already suspended.`);
      if (!(await repo.markSuspended(trx, appId, app.status, nowIso())))
        throw new ConflictError(`${app.name} changed meanwhile: reload the page and try again.`);
      const notified = await this.deps.installations.appSuspended(trx, appId);
      await recordAudit(trx, actor, {
        companyId: app.company_id,
        action: 'app.suspended',
        targetType: 'app',
        targetId: appId,
        details: { name: app.name, reason, status_before: app.status, installations: notified },
      });
      return {
        app: { ...app, status: 'suspended' as const },
        statusBefore: app.status,
        installations: notified,
      };
    });
    this.forgetCaches();
    return result;
  }

  /** Unsuspends an app: it gets back the status it had, and its credentials work again. */
  async unsuspend(actor: Actor, appId: string) {
    await this.policy.authorizePlatform(actor);
    const result = await this.db.transaction().execute(async (trx) => {
      const app = isId(appId, 'app') ? await repo.findApp(trx, appId) : undefined;
      if (!app) throw new NotFoundError('App');
      if (app.status !== 'suspended') throw new ConflictError(`${app.name} is not suspended.`);
      const restored: AppStatus = app.status_before_suspension ?? (app.client_id ? 'unlisted' : 'private');
      if (!(await repo.markUnsuspended(trx, appId, restored, nowIso())))
        throw new ConflictError(`${app.name} changed meanwhile: reload the page and try again.`);
      await recordAudit(trx, actor, {
        companyId: app.company_id,
        action: 'app.unsuspended',
        targetType: 'app',
        targetId: appId,
        details: { name: app.name, status: restored },
      });
      return { app: { ...app, status: restored, status_before_suspension: null } };
    });
    this.forgetCaches();
    return result;
  }

  /**
   * After a suspension's commit: this process refuses the app's credentials and client at once
   * (others within their caches' second), and its webhook sender wakes for the new deliveries.
   */
  private forgetCaches() {
    this.deps.credentials.forgetCachedChecks();
    this.deps.installations.forgetCached();
    this.deps.clients.forget();
  }

  /** Every company, newest first, searched by name (or its exact id), with its counts. */
  async companies(actor: Actor, input: unknown): Promise<Page<AdminCompany>> {
    await this.policy.authorizePlatform(actor);
    const { q, page } = parseInput(companyListQuery, input);
    return pageOf(await repo.listCompanies(this.db, { q }, rowsOf(page)), page);
  }

  /** One company: its members, the apps it built and the apps installed in it. */
  async company(actor: Actor, companyId: string) {
    await this.policy.authorizePlatform(actor);
    const company = isId(companyId, 'cmp') ? await repo.findCompany(this.db, companyId) : undefined;
    if (!company) throw new NotFoundError('Company');
    const [members, apps, installed] = await Promise.all([
      repo.companyMembers(this.db, companyId),
      repo.companyApps(this.db, companyId),
      repo.companyInstalledApps(this.db, companyId),
    ]);
    return { company, members, apps, installed };
  }

  /**
   * The audit log across every company, newest first, filtered; `next` is the cursor (an audit
   * id) of the following, older page when there is one.
   */
  async audit(
    actor: Actor,
    input: unknown,
  ): Promise<{ events: AdminAuditEvent[]; next: string | undefined; query: AuditQuery }> {
    await this.policy.authorizePlatform(actor);
    const query = parseInput(auditQuery, input);
    const limit = query.limit ?? PAGE_SIZE;
    const rows = await repo.listAuditEvents(this.db, await this.auditFilter(query), limit + 1);
    const events = rows.slice(0, limit).map(auditEventOf);
    return { events, next: rows.length > limit ? events.at(-1)?.id : undefined, query };
  }

  /** The filter a query means: a company by id or name, an actor by e-mail (or `cli`), times as bounds. */
  private async auditFilter(q: AuditQuery): Promise<repo.AuditFilter> {
    const company = q.company;
    const filter: repo.AuditFilter = {
      ...(company && (isId(company, 'cmp') ? { companyId: company } : { companyName: company })),
      appId: q.app,
      actionPrefix: q.action,
      from: q.from && timeBound(q.from, 'from'),
      to: q.to && timeBound(q.to, 'to'),
      before: q.before,
    };
    if (q.actor === 'cli') filter.actorLabel = 'cli';
    else if (q.actor) {
      const user = await this.deps.accounts.findUser(q.actor);
      if (!user) throw new ValidationError({ actor: 'no user has this e-mail address' });
      filter.actorUserId = user.id;
    }
    return filter;
  }
}
