import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.js';

describe('loadConfig', () => {
  it('has defaults that serve on localhost:3000 with the embedded database', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, 'localhost');
    assert.equal(c.publicUrl, 'http://localhost:3000');
    assert.deepEqual(c.database, { dialect: 'sqlite', path: './data/porter.db' });
    assert.equal(c.codeTtlSeconds, 120);
    assert.equal(c.demo, 'auto');
  });

  it('reads every variable and trims a trailing slash from the public URL', () => {
    const c = loadConfig({
      PORT: '8080',
      PORTER_PUBLIC_URL: 'https://porter.example.com/',
      PORTER_CODE_TTL: '900',
      PORTER_DEMO: '0',
      DATABASE_URL: 'postgres://u@db:5432/porter',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.publicUrl, 'https://porter.example.com');
    assert.equal(c.codeTtlSeconds, 900);
    assert.equal(c.demo, false);
    assert.deepEqual(c.database, { dialect: 'postgres', url: 'postgres://u@db:5432/porter' });
  });

  it('reads the rate limit, Redis and metrics settings; the limit is on by default, /metrics off', () => {
    const d = loadConfig({});
    assert.deepEqual(d.rateLimit, { limit: 6000, windowSeconds: 60 });
    assert.deepEqual(d.metrics, { token: undefined, port: undefined });
    assert.equal(d.redisUrl, undefined);
    assert.equal(d.usageFlushMs, 5000);
    assert.deepEqual(loadConfig({ PORTER_RATE_LIMIT: '100/second' }).rateLimit, {
      limit: 100,
      windowSeconds: 1,
    });
    assert.deepEqual(loadConfig({ PORTER_RATE_LIMIT: '250' }).rateLimit, { limit: 250, windowSeconds: 60 });
    assert.equal(loadConfig({ PORTER_RATE_LIMIT: 'off' }).rateLimit, null);
    const c = loadConfig({ REDIS_URL: 'redis://cache:6379/2', PORTER_METRICS_PORT: '9100' });
    assert.equal(c.redisUrl, 'redis://cache:6379/2');
    assert.equal(c.metrics.port, 9100);
    for (const [name, value] of [
      ['PORTER_RATE_LIMIT', '0/minute'],
      ['PORTER_RATE_LIMIT', '10/day'],
      ['REDIS_URL', 'http://cache'],
      ['PORTER_METRICS_TOKEN', 'short'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: Error) => e instanceof ConfigError && e.message.startsWith(name),
      );
    }
  });

  it('names the variable that is wrong', () => {
    for (const [name, value] of [
      ['PORT', 'x'],
      ['PORTER_CODE_TTL', '0'],
      ['PORTER_PUBLIC_URL', 'not a url'],
      ['PORTER_DEMO', 'maybe'],
      ['PORTER_TRUST_PROXY', 'yes please'],
      ['PORTER_TRUST_PROXY', 'true'],
      ['PORTER_SIGNUP', 'sometimes'],
      ['SMTP_URL', 'http://mail.example'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: Error) => e instanceof ConfigError && e.message.startsWith(`${name}:`),
      );
    }
  });
});

describe('sign-up and mail', () => {
  it('opens sign-up on the embedded database and asks for invitations on PostgreSQL', () => {
    assert.equal(loadConfig({}).signUp, 'open');
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@db/porter' }).signUp, 'invite');
    assert.equal(
      loadConfig({ DATABASE_URL: 'postgres://u@db/porter', PORTER_SIGNUP: 'open' }).signUp,
      'open',
    );
    assert.equal(loadConfig({ PORTER_SIGNUP: 'closed' }).signUp, 'closed');
  });

  it('writes mail to the log unless SMTP_URL is set, and then needs a from address', () => {
    assert.deepEqual(loadConfig({}).mail, { smtpUrl: undefined, from: 'Porter <porter@localhost>' });
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example:25' }), /^ConfigError: PORTER_MAIL_FROM/);
    const c = loadConfig({
      SMTP_URL: 'smtps://u:p@mail.example',
      PORTER_MAIL_FROM: 'Porter <p@example.com>',
    });
    assert.deepEqual(c.mail, { smtpUrl: 'smtps://u:p@mail.example', from: 'Porter <p@example.com>' });
  });
});

describe('PORTER_TRUST_PROXY', () => {
  it('trusts no proxy by default, a number of hops, or a list of addresses', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ PORTER_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(
      loadConfig({ PORTER_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy,
      '10.0.0.0/8, 127.0.0.1',
    );
  });
});

describe('scope registry', () => {
  it('offers the five default scopes, and can be replaced or extended', () => {
    assert.deepEqual(Object.keys(loadConfig({}).scopes), [
      'events:write',
      'ecommerce:write',
      'subscriptions:write',
      'attributes:write',
      'privacy_requests:write',
    ]);
    const replaced = loadConfig({ PORTER_SCOPES: '{"orders:read":"Read your orders"}' }).scopes;
    assert.deepEqual(replaced, { 'orders:read': 'Read your orders' });
    const extended = loadConfig({ PORTER_EXTRA_SCOPES: '{"orders:read":"Read your orders"}' }).scopes;
    assert.equal(Object.keys(extended).length, 6);
  });

  it('refuses malformed scope configuration', () => {
    for (const value of ['not json', '["a"]', '{"Bad Scope":"x"}', '{"orders:read":""}']) {
      assert.throws(() => loadConfig({ PORTER_SCOPES: value }), /^ConfigError: PORTER_SCOPES/);
    }
  });
});

describe('parseDatabaseUrl', () => {
  it('takes postgres URLs, file: paths and bare paths', () => {
    assert.deepEqual(parseDatabaseUrl('postgresql://h/db'), {
      dialect: 'postgres',
      url: 'postgresql://h/db',
    });
    assert.deepEqual(parseDatabaseUrl('file:./data/p.db'), { dialect: 'sqlite', path: './data/p.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/var/lib/p.db'), { dialect: 'sqlite', path: '/var/lib/p.db' });
    assert.deepEqual(parseDatabaseUrl('/tmp/p.db'), { dialect: 'sqlite', path: '/tmp/p.db' });
  });

  it('refuses other schemes and empty paths', () => {
    assert.throws(() => parseDatabaseUrl('mysql://h/db'), ConfigError);
    assert.throws(() => parseDatabaseUrl('file:'), ConfigError);
  });
});
