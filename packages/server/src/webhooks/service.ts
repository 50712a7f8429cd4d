import type { AppsService } from '../apps/service.js';
import { type Actor, recordAudit } from '../audit/service.js';
import type { WebhookSettings } from '../config.js';
import type { Database, Executor } from '../db/database.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../db/schema.js';
import type { InstallationView } from '../installations/service.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import { newSortableId } from '../lib/ids.js';
import { mintSecret } from '../lib/secrets.js';
import { isoAfter, nowIso } from '../lib/time.js';
import * as repo from './repo.js';
import { DeliveryWorker, type ErrorLog } from './worker.js';

/** The events an installation's app is told about. */
export type InstallationEventType =
  | 'app.installed'
  | 'app.uninstalled'
  | 'app.scopes_updated'
  | 'app.suspended';

/** How long the secret before a rotation keeps signing, so receivers can switch without losing events. */
const ROTATION_OVERLAP_S = 24 * 3600;

/** How many deliveries the portal and the API list. */
const LISTED = 50;

/** How long a finished delivery is kept for the portal. */
const KEPT_DAYS = 30;

/** One attempt of a delivery as shown: when, to where, the answer or why there was none. */
export type AttemptView = Omit<WebhookAttemptRow, 'delivery_id'>;

/** A delivery as the portal, the developer API and the CLI show it, with its attempts. */
export type DeliveryView = repo.DeliverySummary & { attempt_log: AttemptView[] };

/**
 * Signed webhooks: events recorded in the transaction of the change that caused them (an
 * outbox), each app's signing secret (reveal, rotate), the deliveries listed, redelivered and a
 * test event sent; the worker of this process sends them.
 */
export class WebhooksService {
  private readonly worker: DeliveryWorker;

  constructor(
    private readonly db: Database,
    settings: WebhookSettings,
    private readonly apps: AppsService,
  ) {
    this.worker = new DeliveryWorker(db, settings);
  }

  /** Starts sending from this process (the server does; the CLI only records). */
  start(onError: ErrorLog): void {
    this.worker.start(onError);
  }

  /** Stops sending, after the deliveries in flight. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Drops finished deliveries older than KEPT_DAYS (hourly, with the other purges). */
  purgeOld(): Promise<number> {
    return repo.deleteFinishedBefore(this.db, isoAfter(-KEPT_DAYS * 86400));
  }

  /** Sends what was just committed without waiting for the next poll. */
  wake(): void {
    this.worker.wake();
  }

  /**
   * Records an installation's event in the caller's transaction (its body carries the
   * installation as the token answer and /v1/me show it), with the installation's next
   * sequence number; nothing when the app has no webhook URL. The caller calls wake() after commit.
   */
  async record(
    trx: Executor,
    type: InstallationEventType,
    installation: InstallationView,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const appId = installation.app.id;
    if (!(await repo.findWebhookUrl(trx, appId))) return;
    const now = nowIso();
    await repo.insertSecretUnlessExists(trx, appId, mintSecret('webhook_secret'), now);
    const sequence = await repo.nextSequence(trx, installation.id);
    await repo.insertDelivery(
      trx,
      delivery(appId, installation.id, type, sequence, now, { installation, ...extra }),
    );
  }

  /** The app's webhook URL, whether a rotation is in its overlap, and its latest deliveries. */
  async overview(actor: Actor, companyId: string, appId: string) {
    const app = await this.apps.get(actor, companyId, appId);
    const secrets = await repo.findSecrets(this.db, app.id);
    const now = nowIso();
    const previousUntil =
      secrets?.previous_expires_at && secrets.previous_expires_at > now ? secrets.previous_expires_at : null;
    return {
      url: app.webhook_url,
      previousSecretUntil: previousUntil,
      deliveries: await this.latest(app.id),
    };
  }

  /** The app's deliveries, newest first, each with its attempts. */
  async deliveries(actor: Actor, companyId: string, appId: string): Promise<DeliveryView[]> {
    const app = await this.apps.get(actor, companyId, appId);
    return this.latest(app.id);
  }

  private async latest(appId: string): Promise<DeliveryView[]> {
    const deliveries = await repo.listDeliveries(this.db, appId, LISTED);
    const attempts = await repo.listAttempts(
      this.db,
      deliveries.map((d) => d.id),
    );
    return deliveries.map((d) => ({
      ...d,
      attempt_log: attempts.filter((a) => a.delivery_id === d.id).map(({ delivery_id, ...a }) => a),
    }));
  }

  /** The current signing secret (made now if the app has none); audited, since it lets one sign. */
  async revealSecret(actor: Actor, companyId: string, appId: string): Promise<string> {
    const app = await this.apps.get(actor, companyId, appId);
    return this.db.transaction().execute(async (trx) => {
      await repo.insertSecretUnlessExists(trx, app.id, mintSecret('webhook_secret'), nowIso());
      const secrets = await repo.findSecrets(trx, app.id);
      if (!secrets) throw new Error(`the webhook secret of ${app.id} vanished in its own transaction`);
      await audit(trx, actor, companyId, app.id, 'app.webhook_secret_revealed');
      return secrets.secret;
    });
  }

  /** A new signing secret; the one before keeps signing too for ROTATION_OVERLAP_S. */
  async rotateSecret(actor: Actor, companyId: string, appId: string): Promise<string> {
    const app = await this.apps.get(actor, companyId, appId);
    const secret = mintSecret('webhook_secret');
    await this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      await repo.insertSecretUnlessExists(trx, app.id, mintSecret('webhook_secret'), nowIso(now));
      await repo.rotateSecret(trx, app.id, secret, isoAfter(ROTATION_OVERLAP_S, now));
      await audit(trx, actor, companyId, app.id, 'app.webhook_secret_rotated');
    });
    return secret;
  }

  /** One more attempt of a delivery, now, with the same event id and body. */
  async redeliver(actor: Actor, companyId: string, appId: string, deliveryId: string): Promise<void> {
    const app = await this.apps.get(actor, companyId, appId);
    if (
      !/^whe_[0-9a-z]{21}$/.test(deliveryId) ||
      !(await repo.requeueDelivery(this.db, app.id, deliveryId, nowIso()))
    )
      throw new NotFoundError('Delivery');
    this.wake();
  }

  /** Sends a `test` event (no installation, no sequence) to the app's webhook URL; answers its id. */
  async sendTest(actor: Actor, companyId: string, appId: string): Promise<string> {
    const app = await this.apps.get(actor, companyId, appId);
    if (!app.webhook_url) throw new ConflictError('Set a webhook URL first.', 'webhook_url');
    const now = nowIso();
    const row = delivery(app.id, null, 'test', null, now, { app: { id: app.id, name: app.name } });
    await this.db.transaction().execute(async (trx) => {
      await repo.insertSecretUnlessExists(trx, app.id, mintSecret('webhook_secret'), now);
      await repo.insertDelivery(trx, row);
    });
    this.wake();
    return row.id;
  }
}

/** A new pending delivery whose body is fixed now: every attempt sends these bytes. */
function delivery(
  appId: string,
  installationId: string | null,
  type: string,
  sequence: number | null,
  now: string,
  data: Record<string, unknown>,
): WebhookDeliveryRow {
  const id = newSortableId('whe');
  return {
    id,
    app_id: appId,
    installation_id: installationId,
    type,
    sequence,
    payload: JSON.stringify({ id, type, created_at: now, sequence, data }),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    created_at: now,
    delivered_at: null,
  };
}

function audit(trx: Executor, actor: Actor, companyId: string, appId: string, action: string) {
  return recordAudit(trx, actor, { companyId, action, targetType: 'app', targetId: appId });
}
