import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mintLinkToken, parseLinkToken, verifierMatches } from './link-tokens.js';

it('mints a link secret whose verifier matches only its own stored hash', () => {
  const { selector, token, verifierHash } = mintLinkToken();
  const parsed = parseLinkToken(token);
  assert.equal(parsed?.selector, selector);
  assert.ok(verifierMatches(parsed?.verifier ?? '', verifierHash));
  const other = parseLinkToken(mintLinkToken(selector).token);
  assert.equal(verifierMatches(other?.verifier ?? '', verifierHash), false);
  assert.doesNotMatch(verifierHash, new RegExp(parsed?.verifier ?? 'x'), 'the verifier is not stored');
});

it('keeps a given selector (an invitation id) and refuses malformed secrets', () => {
  assert.match(mintLinkToken('inv_0123456789abcdef').token, /^inv_0123456789abcdef\./);
  for (const bad of [undefined, 42, '', 'nodot', 'a.b', `${'x'.repeat(16)}.${'y'.repeat(42)}`])
    assert.equal(parseLinkToken(bad), undefined, String(bad));
});
