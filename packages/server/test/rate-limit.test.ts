import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { randomBase32 } from '../src/lib/ids.js';
import { callApi } from './helpers/api.js';
import { dialects, forEachDialect } from './helpers/dialects.js';
import { makeAppCredentials, SEED_SCOPES } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';
import { type PorterProcess, spawnPorter } from './helpers/process.js';

const today = () => new Date().toISOString().slice(0, 10);

forEachDialect('rate limits and daily API call counts', (dialect) => {
  let porter: TestPorter;
  let creds: Awaited<ReturnType<typeof makeAppCredentials>>;
  before(async () => {
    porter = await startPorter(dialect, { PORTER_RATE_LIMIT: '5/minute', PORTER_USAGE_FLUSH: '1' });
    creds = await makeAppCredentials(porter, SEED_SCOPES);
  });
  after(() => porter.close());

  for (const kind of ['api_key', 'access_token'] as const) {
    it(`limits each ${kind} on its own: RateLimit-* past half the window, then 429 with Retry-After`, async () => {
      const token = creds[kind].token;
      for (let i = 1; i <= 5; i++) {
        const res = await callApi(porter, 'GET', '/v1/me', token);
        assert.equal(res.status, 200);
        // Remaining 4 and 3 are not below half of 5: no headers yet.
        assert.equal(res.headers.get('ratelimit-limit'), i < 3 ? null : '5');
        assert.equal(res.headers.get('ratelimit-remaining'), i < 3 ? null : String(5 - i));
      }
      const refused = await callApi(porter, 'GET', '/v1/me', token);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.code, 'rate_limited');
      assert.equal(refused.headers.get('ratelimit-remaining'), '0');
      const retry = Number(refused.headers.get('retry-after'));
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      assert.equal(refused.headers.get('ratelimit-reset'), String(retry));
    });
  }

  it('answers a bad credential 401, never 429, and leaves other routes unlimited', async () => {
    for (let i = 0; i < 7; i++) {
      assert.equal((await callApi(porter, 'GET', '/v1/me', 'porter_ak_nonsense')).status, 401);
    }
    const health = await fetch(`${porter.url}/healthz`);
    assert.equal(health.headers.get('ratelimit-limit'), null);
  });

  it('counts calls per app, company and day in batches, and never the refused ones', async () => {
    const fresh = await makeAppCredentials(porter, SEED_SCOPES, 'Usage Counter');
    for (let i = 0; i < 3; i++) await callApi(porter, 'GET', '/v1/me', fresh.access_token.token);
    for (let i = 0; i < 7; i++) await callApi(porter, 'GET', '/v1/me', fresh.api_key.token);
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await porter.services.usage.read({
      appId: fresh.partner.app.id,
      from: today(),
      to: today(),
    });
    const calls = Object.fromEntries(rows.map((r) => [r.companyId, r.calls]));
    assert.deepEqual(calls, { [fresh.access_token.companyId]: 3, [fresh.api_key.companyId]: 5 });
    assert.ok(rows.every((r) => r.day === today()));
  });
});

// The shared limit: two Porter processes (the test's server and `porter start`) on one Redis.
const redisUrl = 'redis://127.0.0.1:6379';
// A TCP connect, not a client: nothing to close or to keep the test process alive.
const redisUp = await new Promise<boolean>((resolve) => {
  const socket = connect(6379, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
});
if (!redisUp) process.stderr.write('\n!! REDIS TESTS SKIPPED: no Redis at 127.0.0.1:6379\n\n');

describe(`rate limits shared through Redis [${dialects[0]?.name}]`, { skip: !redisUp }, () => {
  const prefix = `porter_test_${randomBase32(8)}`;
  const env = { PORTER_RATE_LIMIT: '4/minute', REDIS_URL: redisUrl, PORTER_REDIS_PREFIX: prefix };
  let one: TestPorter;
  let two: PorterProcess;
  let redis: Redis;
  before(async () => {
    redis = new Redis(redisUrl);
    one = await startPorter(dialects[0] ?? (undefined as never), env);
    two = await spawnPorter(one, env);
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await two.close();
    await one.close();
  });

  it('counts one credential across both servers and refuses it on both over the limit', async () => {
    const { api_key } = await makeAppCredentials(one, SEED_SCOPES);
    const seen: string[] = [];
    const other = { url: two.url } as TestPorter;
    for (const porter of [one, other, one, other]) {
      const res = await callApi(porter, 'GET', '/v1/me', api_key.token);
      assert.equal(res.status, 200);
      seen.push(res.headers.get('ratelimit-remaining') ?? '');
    }
    assert.deepEqual(seen, ['', '', '1', '0']);
    for (const porter of [one, other]) {
      const res = await callApi(porter, 'GET', '/v1/me', api_key.token);
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
    assert.ok((await redis.keys(`${prefix}:rl*`)).length > 0, 'the count lives in Redis under the prefix');
  });
});
