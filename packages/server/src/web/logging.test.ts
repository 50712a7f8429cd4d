import assert from 'node:assert/strict';
import { it } from 'node:test';
import { redactUrl } from './logging.js';

it('redacts secret query values by their decoded names and keeps the rest', () => {
  assert.equal(redactUrl('/cb?code=abc&state=xyz&x=1'), '/cb?code=[redacted]&state=[redacted]&x=1');
  assert.equal(redactUrl('/healthz?client%5Fsecret=porter_cs_LEAK'), '/healthz?client_secret=[redacted]');
  assert.equal(
    redactUrl('/t?CODE_VERIFIER=v&refresh_token=r'),
    '/t?CODE_VERIFIER=[redacted]&refresh_token=[redacted]',
  );
  assert.equal(redactUrl('/plain/path'), '/plain/path');
  assert.equal(redactUrl('/q?page=2'), '/q?page=2');
});
