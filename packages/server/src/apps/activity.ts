import type { Actor } from '../audit/service.js';
import type { InstallationsService } from '../installations/service.js';
import type { ApiUsage } from '../usage/recorder.js';
import type { AppsService } from './service.js';

/** How many UTC days the portal's charts show, today included. */
export const ACTIVITY_DAYS = 30;

/** One UTC day of an app's activity: installs, uninstalls, and API calls by status class. */
export interface DayActivity {
  day: string;
  installs: number;
  uninstalls: number;
  /** Calls answered 1xx–3xx (in practice 2xx). */
  calls2xx: number;
  calls4xx: number;
  calls5xx: number;
}

/** The UTC days from `days - 1` days ago to today, oldest first (`YYYY-MM-DD`). */
export function lastDays(days: number, now = Date.now()): string[] {
  return Array.from({ length: days }, (_, i) =>
    new Date(now - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** An app's daily activity for the portal's charts: every day present, zero when nothing happened. */
export class AppActivity {
  constructor(
    private readonly apps: AppsService,
    private readonly installations: InstallationsService,
    private readonly usage: ApiUsage,
  ) {}

  /** The app's last ACTIVITY_DAYS days, oldest first, for its developers. */
  async lastDays(actor: Actor, companyId: string, appId: string, now = Date.now()): Promise<DayActivity[]> {
    await this.apps.get(actor, companyId, appId);
    const days = lastDays(ACTIVITY_DAYS, now);
    const from = days[0] ?? '';
    const to = days[days.length - 1] ?? '';
    const installs = await this.installations.dailyActivity(appId, from);
    const calls = new Map<string, { calls: number; calls4xx: number; calls5xx: number }>();
    for (const row of await this.usage.read({ appId, from, to })) {
      const sum = calls.get(row.day) ?? { calls: 0, calls4xx: 0, calls5xx: 0 };
      sum.calls += row.calls;
      sum.calls4xx += row.calls4xx;
      sum.calls5xx += row.calls5xx;
      calls.set(row.day, sum);
    }
    return days.map((day) => {
      const i = installs.get(day);
      const c = calls.get(day) ?? { calls: 0, calls4xx: 0, calls5xx: 0 };
      return {
        day,
        installs: i?.installs ?? 0,
        uninstalls: i?.uninstalls ?? 0,
        calls2xx: c.calls - c.calls4xx - c.calls5xx,
        calls4xx: c.calls4xx,
        calls5xx: c.calls5xx,
      };
    });
  }
}
