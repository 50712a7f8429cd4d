import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CredentialCache } from './cache.js';
import type { Principal } from './service.js';

const principal = {
  tokenId: 'tok_1',
  kind: 'api_key',
  companyId: 'cmp_1',
  scopes: [],
} as unknown as Principal;

it('answers from memory until the entry is older than its time to live', () => {
  const cache = new CredentialCache(1000);
  assert.equal(cache.get('h', 0), undefined);
  cache.set('h', principal, 0);
  cache.set('unknown', null, 0);
  assert.equal(cache.get('h', 999), principal);
  assert.equal(cache.get('unknown', 999), null, 'a miss is remembered too');
  assert.equal(cache.get('h', 1000), undefined, 'expired after the time to live');
});

it('forgets everything on clear, and the oldest entry when full', () => {
  const cache = new CredentialCache(1000, 2);
  cache.set('a', principal, 0);
  cache.set('b', principal, 0);
  cache.set('c', principal, 0);
  assert.equal(cache.get('a', 1), undefined);
  assert.equal(cache.get('c', 1), principal);
  cache.clear();
  assert.equal(cache.get('c', 1), undefined);
});

it('does not store an answer looked up before a clear', () => {
  const cache = new CredentialCache(1000);
  const generation = cache.generation;
  cache.clear(); // a revocation lands while the lookup is in flight
  cache.set('h', principal, 0, generation);
  assert.equal(cache.get('h', 1), undefined);
});
