// Retries for the API client: bounded, exponential backoff with full jitter, Retry-After
// honoured (RFC 9110 §10.2.3: seconds or an HTTP-date), only where repeating is harmless.

/** How the client retries; every field has a default. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** The first backoff in milliseconds, doubled each retry (default 250). */
  baseDelayMs?: number;
  /** The longest wait; a Retry-After beyond it is not waited for (default 20 000). */
  maxDelayMs?: number;
}

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

/** Whether an answer with this status is worth repeating. */
export function isRetriedStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

/** Retry-After as milliseconds from `now`, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before retry number `attempt` (0-based): what the server asked for, else
 * a random time up to the doubled backoff; undefined when the server asked for longer than
 * the cap (waiting less would only be refused again).
 */
export function retryDelay(attempt: number, asked: number | undefined, o: Required<RetryOptions>) {
  if (asked !== undefined) return asked <= o.maxDelayMs ? asked : undefined;
  return Math.random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
}

export const RETRY_DEFAULTS: Required<RetryOptions> = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 20_000 };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
