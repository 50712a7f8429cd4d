import type { AppsService } from '../apps/service.js';
import type { Actor } from '../audit/service.js';
import type { Database } from '../db/database.js';
import { newSortableId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { explain, type Failure, type FailureCause } from './causes.js';
import * as repo from './repo.js';

/** How long failures are kept. */
export const KEEP_DAYS = 7;

export interface DebuggerLimits {
  /** How many failures an app keeps: its newest. */
  keepPerApp: number;
  /** Failed requests cost nothing to send: past this many writes a minute per app (per process), the rest are dropped. */
  writesPerMinute: number;
}

const LIMITS: DebuggerLimits = { keepPerApp: 200, writesPerMinute: 60 };

/** A recorded failure as the portal, the developer API and the CLI show it. */
export interface FailureEntry {
  id: string;
  created_at: string;
  endpoint: string;
  error: string;
  cause: FailureCause;
  message: string;
}

/**
 * The install debugger: records an app's failed authorization requests and token exchanges
 * (bounded per app, kept seven days) and lists them to the app's developers.
 */
export class InstallDebugger {
  private window = { startedAt: 0, writes: new Map<string, number>() };

  constructor(
    private readonly db: Database,
    private readonly apps: AppsService,
    private readonly limits: DebuggerLimits = LIMITS,
  ) {}

  /** Records one failure; false when the app's write budget for this minute is spent. */
  async record(endpoint: string, errorCode: string, { appId, cause }: Failure): Promise<boolean> {
    if (!this.admit(appId)) return false;
    await repo.insertFailure(this.db, {
      id: newSortableId('iff'),
      app_id: appId,
      endpoint: endpoint.slice(0, 200),
      error_code: errorCode,
      cause: JSON.stringify(cause),
      created_at: nowIso(),
    });
    await repo.trimFailures(this.db, appId, this.limits.keepPerApp);
    return true;
  }

  private admit(appId: string): boolean {
    const now = Date.now();
    if (now - this.window.startedAt >= 60_000) this.window = { startedAt: now, writes: new Map() };
    const writes = (this.window.writes.get(appId) ?? 0) + 1;
    this.window.writes.set(appId, writes);
    return writes <= this.limits.writesPerMinute;
  }

  /** The app's failures of the last seven days, newest first, for its developers. */
  async list(actor: Actor, companyId: string, appId: string): Promise<FailureEntry[]> {
    await this.apps.get(actor, companyId, appId);
    const since = nowIso(Date.now() - KEEP_DAYS * 86_400_000);
    const rows = await repo.listFailures(this.db, appId, since, this.limits.keepPerApp);
    return rows.map((row) => {
      const cause = JSON.parse(row.cause) as FailureCause;
      return {
        id: row.id,
        created_at: row.created_at,
        endpoint: row.endpoint,
        error: row.error_code,
        cause,
        message: explain(cause),
      };
    });
  }

  /** Drops failures older than seven days. */
  purgeExpired(): Promise<void> {
    return repo.deleteFailuresBefore(this.db, nowIso(Date.now() - KEEP_DAYS * 86_400_000));
  }
}
