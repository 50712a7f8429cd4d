import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_ATTEMPTS, retryDelayMs } from './schedule.js';

it('retries for more than a day, with jitter, then stops', () => {
  let shortest = 0;
  for (let n = 1; n < MAX_ATTEMPTS; n++) shortest += retryDelayMs(n, 1, 0) ?? Number.NaN;
  assert.ok(shortest > 24 * 3600_000, `the shortest schedule lasts ${shortest / 3600_000} h`);
  assert.equal(retryDelayMs(MAX_ATTEMPTS), undefined);
  assert.equal(retryDelayMs(1, 1, 0), 8000);
  assert.equal(retryDelayMs(1, 1, 0.999_999), 12000);
  assert.equal(retryDelayMs(1, 0.01, 0.5), 100);
});
