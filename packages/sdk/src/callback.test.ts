import assert from 'node:assert/strict';
import { it } from 'node:test';
import { handleCallback } from './callback.js';
import { IssuerMismatchError, OAuthError, StateMismatchError } from './errors.js';

const checks = { expectedState: 'st-1', expectedIssuer: 'https://porter.example' };
const cb = (q: string) => `https://app.example/cb?${q}`;
const iss = 'iss=https%3A%2F%2Fporter.example';

it('returns the code when state and iss match', () => {
  assert.deepEqual(handleCallback(cb(`code=porter_ac_1&state=st-1&${iss}`), checks), { code: 'porter_ac_1' });
  assert.deepEqual(handleCallback(new URL(cb(`code=c&state=st-1&${iss}`)), checks), { code: 'c' });
});

it('refuses a foreign or missing state, even on an error answer', () => {
  for (const q of [`code=c&state=st-2&${iss}`, `code=c&${iss}`, `error=access_denied&state=st-10&${iss}`])
    assert.throws(() => handleCallback(cb(q), checks), StateMismatchError);
});

it('refuses a foreign or missing iss (RFC 9207) before anything else', () => {
  assert.throws(
    () => handleCallback(cb('code=c&state=st-1&iss=https%3A%2F%2Fevil.example'), checks),
    (err: unknown) => err instanceof IssuerMismatchError && err.received === 'https://evil.example',
  );
  assert.throws(() => handleCallback(cb('code=c&state=st-1'), checks), IssuerMismatchError);
});

it('turns error= into an OAuthError with its code, access_denied for a decline', () => {
  assert.throws(
    () => handleCallback(cb(`error=access_denied&state=st-1&${iss}`), checks),
    (err: unknown) => err instanceof OAuthError && err.code === 'access_denied',
  );
  assert.throws(
    () => handleCallback(cb(`error=invalid_scope&error_description=nope&state=st-1&${iss}`), checks),
    (err: unknown) => err instanceof OAuthError && err.code === 'invalid_scope' && err.message === 'nope',
  );
  assert.throws(
    () => handleCallback(cb(`error=made_up&state=st-1&${iss}`), checks),
    (err: unknown) => err instanceof OAuthError && err.code === 'server_error',
  );
});

it('refuses a callback with no code, or a repeated parameter', () => {
  assert.throws(
    () => handleCallback(cb(`state=st-1&${iss}`), checks),
    (err: unknown) => err instanceof OAuthError && err.code === 'invalid_request',
  );
  assert.throws(
    () => handleCallback(cb(`code=a&code=b&state=st-1&${iss}`), checks),
    (err: unknown) => err instanceof OAuthError && err.code === 'invalid_request',
  );
});
