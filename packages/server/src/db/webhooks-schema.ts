import type { Selectable } from 'kysely';

// Signed webhooks (migration 0011): secrets, per-installation sequences, the outbox and its attempts.

/** An app's webhook signing secrets: HMAC keys Porter must read to sign, so kept as they are. */
export interface WebhookSecretsTable {
  app_id: string;
  secret: string;
  /** The secret before the last rotation: it signs too until `previous_expires_at`. */
  previous_secret: string | null;
  previous_expires_at: string | null;
  created_at: string;
}

/** The last sequence number given to an installation's webhook events. */
export interface WebhookSequencesTable {
  installation_id: string;
  last_sequence: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One webhook event and its delivery (the outbox): written in the transaction that caused it. */
export interface WebhookDeliveriesTable {
  /** The event id (`whe_…`, sortable by creation): Porter-Event-Id. */
  id: string;
  app_id: string;
  /** Null for a test event. */
  installation_id: string | null;
  type: string;
  /** Per installation, from 1; null for a test event. */
  sequence: number | null;
  /** The JSON body, exactly as sent on every attempt. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the worker may next try it (pending only). */
  next_attempt_at: string | null;
  /** The worker sending it, and until when no other may (a crashed worker's lease runs out). */
  lease_owner: string | null;
  lease_until: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** One attempt to deliver a webhook: what the portal shows of it. */
export interface WebhookAttemptsTable {
  delivery_id: string;
  /** 1, 2, …: the delivery's attempt counter when it was made. */
  number: number;
  url: string;
  started_at: string;
  duration_ms: number;
  /** The receiver's HTTP status; null when no answer came (refused, timeout, network). */
  status_code: number | null;
  error: string | null;
}
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
