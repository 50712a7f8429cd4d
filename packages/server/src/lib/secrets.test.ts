import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hashSecret, mintSecret, secretKind, secretMatches } from './secrets.js';

it('mints prefixed, checksummed secrets of 256 bits that are recognised offline', () => {
  const seen = new Set<string>();
  for (const kind of ['api_key', 'client_secret', 'access_token', 'personal_token'] as const) {
    for (let i = 0; i < 200; i++) {
      const s = mintSecret(kind);
      assert.match(s, /^porter_(ak|cs|at|pt)_[0-9A-Za-z]{49}$/);
      assert.equal(secretKind(s), kind);
      seen.add(s);
    }
  }
  assert.equal(seen.size, 800);
});

it('refuses a secret with one character changed, a wrong prefix or a wrong length', () => {
  const s = mintSecret('access_token');
  const last = s.at(-8) === 'a' ? 'b' : 'a';
  assert.equal(secretKind(`${s.slice(0, -8)}${last}${s.slice(-7)}`), undefined);
  assert.equal(secretKind(s.replace('porter_at_', 'porter_xx_')), undefined);
  assert.equal(secretKind(`${s}0`), undefined);
  assert.equal(secretKind(''), undefined);
});

it('stores a SHA-256 and compares against it', () => {
  const s = mintSecret('client_secret');
  const h = hashSecret(s);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(secretMatches(s, h), true);
  assert.equal(secretMatches(mintSecret('client_secret'), h), false);
  assert.equal(secretMatches(s, 'not-a-hash'), false);
});
