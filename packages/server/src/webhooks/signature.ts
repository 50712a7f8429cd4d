import { createHmac } from 'node:crypto';

// The signature contract (README "Webhooks"; the SDK's verifyWebhook checks it):
//   Porter-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>
// Signing the timestamp with the body lets a receiver refuse a replayed old delivery; during a
// rotation one v1 entry per valid secret is sent, so either secret verifies.

/** The `Porter-Signature` header for a body sent at `timestamp` (unix seconds), one v1 per secret. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  );
  return [`t=${timestamp}`, ...signatures].join(',');
}
