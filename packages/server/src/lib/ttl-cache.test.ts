import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TtlCache } from './ttl-cache.js';

const principal = { id: 'tok_1' };

it('answers from memory until the entry is older than its time to live', () => {
  const cache = new TtlCache<typeof principal>(1000);
  assert.equal(cache.get('h', 0), undefined);
  cache.set('h', principal, 0);
  cache.set('unknown', null, 0);
  assert.equal(cache.get('h', 999), principal);
  assert.equal(cache.get('unknown', 999), null, 'a miss is remembered too');
  assert.equal(cache.get('h', 1000), undefined, 'expired after the time to live');
});

it('forgets everything on clear, and the oldest entry when full', () => {
  const cache = new TtlCache<typeof principal>(1000, 2);
  cache.set('a', principal, 0);
  cache.set('b', principal, 0);
  cache.set('c', principal, 0);
  assert.equal(cache.get('a', 1), undefined);
  assert.equal(cache.get('c', 1), principal);
  cache.clear();
  assert.equal(cache.get('c', 1), undefined);
});

it('does not store an answer looked up before a clear', () => {
  const cache = new TtlCache<typeof principal>(1000);
  const generation = cache.generation;
  cache.clear(); // a revocation lands while the lookup is in flight
  cache.set('h', principal, 0, generation);
  assert.equal(cache.get('h', 1), undefined);
});

it('loads through the cache once per time to live, misses included', async () => {
  const cache = new TtlCache<typeof principal>(60_000);
  let loads = 0;
  const load = async () => {
    loads += 1;
    return loads === 1 ? principal : undefined;
  };
  assert.equal(await cache.through('h', load), principal);
  assert.equal(await cache.through('h', load), principal);
  assert.equal(loads, 1);
  cache.clear();
  assert.equal(await cache.through('h', load), undefined);
  assert.equal(await cache.through('h', load), undefined, 'the miss is remembered');
  assert.equal(loads, 2);
});
