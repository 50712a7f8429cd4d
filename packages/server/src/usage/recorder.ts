import type { Principal } from '../credentials/service.js';
import type { Database } from '../db/database.js';
import type { LastUsed } from './last-used.js';
import * as repo from './repo.js';

interface Tally {
  appId: string;
  companyId: string;
  calls: number;
  calls4xx: number;
  calls5xx: number;
}

function addTo(into: Omit<Tally, 'appId' | 'companyId'>, t: Tally): void {
  into.calls += t.calls;
  into.calls4xx += t.calls4xx;
  into.calls5xx += t.calls5xx;
}

/**
 * Counts the protected API's calls per app and company in memory (one Map increment per call,
 * keyed by the credential) and adds them to the day's rows every few seconds and at shutdown:
 * never a write per request. Counts that fail to be written are kept for the next flush.
 */
export class ApiUsage {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly flushMs: number,
    /** When each credential was last used: noted with each call, written by the same flush. */
    readonly lastUsed: LastUsed,
  ) {}

  /**
   * Counts one answered call of an app credential and notes the credential's use (personal
   * tokens have no app: only their use is noted).
   */
  count(principal: Principal, status: number): void {
    this.lastUsed.token(principal.tokenId);
    let tally = this.tallies.get(principal.tokenId);
    if (tally === undefined) {
      if (principal.appId === null) return;
      tally = { appId: principal.appId, companyId: principal.companyId, calls: 0, calls4xx: 0, calls5xx: 0 };
      this.tallies.set(principal.tokenId, tally);
    }
    tally.calls += 1;
    if (status >= 500) tally.calls5xx += 1;
    else if (status >= 400) tally.calls4xx += 1;
  }

  /** Flushes every `flushMs` until stop(); a failed flush goes to `onError` and is retried. */
  start(onError: (err: unknown) => void): void {
    this.timer ??= setInterval(() => this.flush().catch(onError), this.flushMs).unref();
  }

  /** Writes what was counted since the last flush, and the due last-used times (one flush at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .catch(() => undefined)
      .then(() => this.write())
      .then(() => this.lastUsed.write());
    return this.flushing;
  }

  /** Stops the timer and writes what is left, last uses still inside their minute included. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.lastUsed.write(Date.now(), true);
  }

  /** An app's calls per company and day, for the portal's charts (UTC days, inclusive). */
  read(range: { appId: string; companyId?: string; from: string; to: string }) {
    return repo.listDailyCalls(this.db, range);
  }

  private async write(): Promise<void> {
    if (this.tallies.size === 0) return;
    const tallies = this.tallies;
    this.tallies = new Map();
    const day = new Date().toISOString().slice(0, 10);
    const rows = new Map<string, repo.DailyCalls>();
    for (const t of tallies.values()) {
      const key = `${t.appId} ${t.companyId}`;
      const row = rows.get(key);
      if (row) addTo(row, t);
      else rows.set(key, { ...t, day });
    }
    try {
      await repo.addDailyCalls(this.db, [...rows.values()]);
    } catch (err) {
      for (const [tokenId, t] of tallies) this.restore(tokenId, t);
      throw err;
    }
  }

  private restore(tokenId: string, t: Tally): void {
    const now = this.tallies.get(tokenId);
    if (now) addTo(now, t);
    else this.tallies.set(tokenId, t);
  }
}
