import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import { type WebhookErrorCode, WebhookVerificationError } from './errors.js';
import { verifyWebhook } from './webhooks.js';

const secret = 'whsec_test_1';
const body = JSON.stringify({ id: 'evt_1', type: 'app.uninstalled', data: { company_id: 'cmp_1' } });
const now = 1_800_000_000_000;
const t = now / 1000;
const sign = (s: string, at = t, raw = body) => createHmac('sha256', s).update(`${at}.${raw}`).digest('hex');

function refused(code: WebhookErrorCode) {
  return (err: unknown) => err instanceof WebhookVerificationError && err.code === code;
}

it('returns the event of a delivery signed with the secret, from Headers or a Node header object', () => {
  const event = verifyWebhook(body, { 'porter-signature': `t=${t},v1=${sign(secret)}` }, secret, { now });
  assert.deepEqual(event, JSON.parse(body));
  const headers = new Headers({
    'Porter-Signature': `t=${t},v1=${sign(secret)}`,
    'Porter-Event-Id': 'evt_1',
  });
  assert.deepEqual(verifyWebhook(Buffer.from(body), headers, secret, { now }), JSON.parse(body));
});

it('accepts any of several v1 signatures and any of several secrets (rotation)', () => {
  const header = `t=${t},v1=${sign('old-secret')},v1=${sign(secret)}`;
  assert.ok(verifyWebhook(body, { 'Porter-Signature': header }, secret, { now }));
  assert.ok(
    verifyWebhook(body, { 'porter-signature': `t=${t},v1=${sign(secret)}` }, ['new', secret], { now }),
  );
});

it('refuses a missing, malformed, stale or wrong signature with its code', () => {
  assert.throws(() => verifyWebhook(body, {}, secret, { now }), refused('missing_signature'));
  for (const bad of ['v1=abc', `t=${t}`, `t=soon,v1=${sign(secret)}`, `t=${t},v1=zz`])
    assert.throws(
      () => verifyWebhook(body, { 'porter-signature': bad }, secret, { now }),
      refused('malformed_signature'),
    );
  const old = `t=${t - 301},v1=${sign(secret, t - 301)}`;
  assert.throws(
    () => verifyWebhook(body, { 'porter-signature': old }, secret, { now }),
    refused('timestamp_too_old'),
  );
  assert.ok(verifyWebhook(body, { 'porter-signature': old }, secret, { now, toleranceSeconds: 600 }));
  const other = `t=${t},v1=${sign('another secret')}`;
  assert.throws(
    () => verifyWebhook(body, { 'porter-signature': other }, secret, { now }),
    refused('signature_mismatch'),
  );
  const tampered = `${body} `;
  const header = { 'porter-signature': `t=${t},v1=${sign(secret)}` };
  assert.throws(() => verifyWebhook(tampered, header, secret, { now }), refused('signature_mismatch'));
  // The time is signed too: moving t breaks the signature.
  const moved = { 'porter-signature': `t=${t + 1},v1=${sign(secret)}` };
  assert.throws(() => verifyWebhook(body, moved, secret, { now }), refused('signature_mismatch'));
});
