import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isRetriedStatus, RETRY_DEFAULTS, retryAfterMs, retryDelay } from './retry.js';

it('reads Retry-After as seconds or as an HTTP-date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('3', now), 3000);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('Wed, 31 Dec 2025 00:00:05 GMT', now), 0);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

it('waits what the server asked, up to the cap, else a jittered doubling backoff', () => {
  const o = { ...RETRY_DEFAULTS, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(retryDelay(0, 700, o), 700);
  assert.equal(retryDelay(0, 5000, o), undefined);
  for (let attempt = 0; attempt < 6; attempt++) {
    const d = retryDelay(attempt, undefined, o) ?? -1;
    assert.ok(d >= 0 && d <= Math.min(1000, 100 * 2 ** attempt), `attempt ${attempt}: ${d}`);
  }
});

it('retries only 429, 502, 503 and 504', () => {
  assert.deepEqual(
    [400, 401, 403, 404, 409, 422, 429, 500, 501, 502, 503, 504].filter(isRetriedStatus),
    [429, 502, 503, 504],
  );
});
