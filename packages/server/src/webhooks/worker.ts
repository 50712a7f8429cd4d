import type { WebhookSettings } from '../config.js';
import type { Database } from '../db/database.js';
import type { WebhookDeliveryRow } from '../db/schema.js';
import { randomBase32 } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import * as repo from './repo.js';
import { retryDelayMs } from './schedule.js';
import { postWebhook, type SendOutcome } from './sender.js';
import { signatureHeader } from './signature.js';

/** Deliveries leased per query; more are taken at once when a batch was full. */
const BATCH = 10;

export type ErrorLog = (err: unknown, message: string) => void;

/**
 * Sends due webhook deliveries from this process: polls every `pollMs`, and at once when this
 * process has just committed one (wake). Each delivery is leased before it is sent, so of
 * several Porter processes on one database only one sends it at a time; a lease that outlives
 * a crashed process runs out and another process sends the delivery again.
 */
export class DeliveryWorker {
  /** This process's name on the leases it takes. */
  private readonly owner = `w_${randomBase32(10)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private onError: ErrorLog = () => undefined;

  constructor(
    private readonly db: Database,
    private readonly settings: WebhookSettings,
  ) {}

  /** Starts polling; failures (the database unreachable) go to `onError` and polling goes on. */
  start(onError: ErrorLog): void {
    this.onError = onError;
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for due deliveries now: called after a commit that recorded one. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the deliveries being sent (each at most the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }

  private run(): void {
    if (this.running || this.stopped) return;
    this.again = false;
    this.running = this.sendDue()
      .catch((err) => this.onError(err, 'sending webhooks failed'))
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.again ? 0 : this.settings.pollMs);
      });
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const claimed = await repo.claimDue(this.db, {
        owner: this.owner,
        now: nowIso(now),
        // Longer than any send (timeout) and its recording: no other process takes it meanwhile.
        until: nowIso(now + 3 * this.settings.timeoutMs + 10_000),
        limit: BATCH,
      });
      await Promise.all(claimed.map((d) => this.deliver(d)));
      if (claimed.length < BATCH || this.stopped) return;
    }
  }

  private async deliver(delivery: WebhookDeliveryRow): Promise<void> {
    const url = await repo.findWebhookUrl(this.db, delivery.app_id);
    const startedAt = nowIso();
    const outcome: SendOutcome = url
      ? await postWebhook(url, await this.headers(delivery), delivery.payload, this.settings).catch(
          (err: Error) => ({ statusCode: null, error: err.message.slice(0, 200), durationMs: 0 }),
        )
      : { statusCode: null, error: 'The app has no webhook URL.', durationMs: 0 };
    await this.record(delivery, { url: url ?? '', startedAt, outcome });
  }

  /** The contract's headers (README "Webhooks"), signed with every secret valid now. */
  private async headers(delivery: WebhookDeliveryRow): Promise<Record<string, string>> {
    const row = await repo.findSecrets(this.db, delivery.app_id);
    const now = nowIso();
    const secrets = row ? [row.secret] : [];
    if (row?.previous_secret && row.previous_expires_at && row.previous_expires_at > now)
      secrets.push(row.previous_secret);
    return {
      'Content-Type': 'application/json',
      'User-Agent': 'Porter-Webhooks/1',
      'Porter-Event-Id': delivery.id,
      'Porter-Event-Type': delivery.type,
      'Porter-Signature': signatureHeader(secrets, Math.floor(Date.now() / 1000), delivery.payload),
    };
  }

  private async record(
    delivery: WebhookDeliveryRow,
    attempt: { url: string; startedAt: string; outcome: SendOutcome },
  ): Promise<void> {
    const { outcome } = attempt;
    const attempts = delivery.attempts + 1;
    const ok = outcome.error === null;
    const now = Date.now();
    // Without a URL (removed, or the app deleted) there is nowhere to retry: failed at once.
    const delay = ok || !attempt.url ? undefined : retryDelayMs(attempts, this.settings.backoffScale);
    await this.db.transaction().execute(async (trx) => {
      const owned = await repo.finishAttempt(trx, delivery.id, this.owner, {
        status: ok ? 'delivered' : delay === undefined ? 'failed' : 'pending',
        attempts,
        next_attempt_at: delay === undefined ? null : nowIso(now + delay),
        last_attempt_at: attempt.startedAt,
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        ...(ok ? { delivered_at: nowIso(now) } : {}),
      });
      if (!owned) return;
      await repo.insertAttempt(trx, {
        delivery_id: delivery.id,
        number: attempts,
        url: attempt.url,
        started_at: attempt.startedAt,
        duration_ms: outcome.durationMs,
        status_code: outcome.statusCode,
        error: outcome.error,
      });
    });
  }
}
