import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

/** Request headers as a fetch Headers or as Node's (Express, Fastify, node:http) give them. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How old a signature may be (default 300 s), against replays of a captured delivery. */
  toleranceSeconds?: number;
  /** The current time in milliseconds (for tests). */
  now?: number;
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: the time and every v1 signature. */
function parseSignature(value: string): { t: number; signatures: Buffer[] } {
  let t: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of value.split(',')) {
    const [k, v = ''] = part.trim().split('=', 2);
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) signatures.push(Buffer.from(v, 'hex'));
  }
  if (t === undefined || signatures.length === 0)
    throw new WebhookVerificationError(
      'malformed_signature',
      'Porter-Signature needs t=<seconds> and v1=<hex>.',
    );
  return { t, signatures };
}

/**
 * Checks a webhook delivery from Porter: `Porter-Signature: t=…,v1=…` must hold an
 * HMAC-SHA256 of `${t}.${rawBody}` under one of `secret` (several during a rotation), made
 * within `toleranceSeconds`. Pass the body exactly as received, before any JSON parsing.
 * Returns the parsed JSON event (its id and type are also in the `Porter-Event-Id` and
 * `Porter-Event-Type` headers); throws WebhookVerificationError otherwise.
 */
export function verifyWebhook<T = Record<string, unknown>>(
  rawBody: string | Buffer,
  headers: HeadersLike,
  secret: string | readonly string[],
  { toleranceSeconds = 300, now = Date.now() }: VerifyWebhookOptions = {},
): T {
  const value = header(headers, 'porter-signature');
  if (!value)
    throw new WebhookVerificationError('missing_signature', 'The Porter-Signature header is missing.');
  const { t, signatures } = parseSignature(value);
  if (Math.abs(now / 1000 - t) > toleranceSeconds)
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `The signature was made more than ${toleranceSeconds} s from now.`,
    );
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const expected = secrets.map((s) => createHmac('sha256', s).update(`${t}.`).update(body).digest());
  // Every pair is compared, in constant time each, so the time says nothing of which matched.
  let matched = false;
  for (const e of expected) for (const s of signatures) if (timingSafeEqual(e, s)) matched = true;
  if (!matched) throw new WebhookVerificationError('signature_mismatch', 'No signature matches the secret.');
  return JSON.parse(body.toString('utf8')) as T;
}
