import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { mintSecret } from '../src/lib/secrets.js';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { exchangeBody, makeAppCredentials, postToken, SEED_SCOPES } from './helpers/oauth.js';
import { freePort, startPorter, type TestPorter } from './helpers/porter.js';

const TOKEN = 'metrics-secret-0123456789abcdef-0123456789';

/** The value of one sample of the exposition text, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}` : ''}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

forEachDialect('operator metrics', (dialect) => {
  let porter: TestPorter;
  let metricsPort: number;
  before(async () => {
    metricsPort = await freePort();
    porter = await startPorter(dialect, {
      PORTER_METRICS_TOKEN: TOKEN,
      PORTER_METRICS_PORT: String(metricsPort),
      PORTER_RATE_LIMIT: '3/minute',
    });
  });
  after(() => porter.close());

  const scrape = async (url = `${porter.url}/metrics`) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    return res.text();
  };

  it('refuses /metrics without the configured secret, on both ports', async () => {
    for (const url of [`${porter.url}/metrics`, `http://127.0.0.1:${metricsPort}/metrics`]) {
      assert.equal((await fetch(url)).status, 401, url);
      const wrong = await fetch(url, { headers: { authorization: `Bearer ${TOKEN.slice(1)}x` } });
      assert.equal(wrong.status, 401, url);
    }
  });

  it('counts requests by route pattern and status, bearer cache use, exchanges, installs and refusals', async () => {
    const creds = await makeAppCredentials(porter, SEED_SCOPES);
    const refused = await postToken(porter, exchangeBody(creds.partner, 'porter_ac_not-a-code'));
    assert.equal(refused.status, 400);
    for (let i = 0; i < 4; i++) await callApi(porter, 'GET', '/v1/me', creds.api_key.token);
    await callApi(porter, 'GET', '/v1/privacy-requests/prq_unknown', creds.access_token.token);
    const text = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    const me = 'method="GET",route="/v1/me"';
    assert.equal(sample(text, 'porter_http_request_duration_seconds_count', `${me},status="200"`), 3);
    assert.equal(sample(text, 'porter_http_request_duration_seconds_count', `${me},status="429"`), 1);
    assert.ok(
      sample(
        text,
        'porter_http_request_duration_seconds_count',
        'method="GET",route="/v1/privacy-requests/:id"',
      ),
      'the route pattern, not the URL',
    );
    assert.doesNotMatch(text, /prq_unknown/);
    assert.equal(sample(text, 'porter_rate_limited_total'), 1);
    assert.equal(sample(text, 'porter_installs_total'), 1);
    assert.equal(sample(text, 'porter_token_exchanges_total', 'outcome="issued"'), 1);
    assert.equal(sample(text, 'porter_token_exchanges_total', 'outcome="invalid_grant"'), 1);
    assert.ok((sample(text, 'porter_bearer_cache_hits_total') ?? 0) >= 2);
    assert.ok((sample(text, 'porter_bearer_cache_misses_total') ?? 0) >= 2);
    assert.ok((sample(text, 'porter_process_resident_memory_bytes') ?? 0) > 0);
  });

  it('looks up no malformed credential, and each well-formed unknown one once a second', async () => {
    const misses = async () => sample(await scrape(), 'porter_bearer_cache_misses_total') ?? 0;
    const known = (await makeAppCredentials(porter, SEED_SCOPES, 'Checksums')).api_key.token;
    const afterMint = await misses();
    const unknown = mintSecret('api_key');
    const badChecksum = `${known.slice(0, -1)}${known.endsWith('0') ? '1' : '0'}`;
    for (const token of [badChecksum, badChecksum, `${known}x`, 'porter_ak_short']) {
      const res = await callApi(porter, 'GET', '/v1/me', token);
      assert.equal(res.status, 401, token);
    }
    assert.equal(await misses(), afterMint, 'refused on length or checksum, before any lookup');
    for (let i = 0; i < 3; i++) assert.equal((await callApi(porter, 'GET', '/v1/me', unknown)).status, 401);
    assert.equal(await misses(), afterMint + 1, 'one lookup, then the cached "nothing there"');
  });

  it('counts uninstalls', async () => {
    const { customer } = await makeAppCredentials(porter, SEED_SCOPES, 'Uninstalled');
    const actor = { kind: 'user' as const, userId: customer.user.id, label: customer.email };
    const [installed] = await porter.services.installations.list(actor, customer.company.id);
    await porter.services.installations.uninstall(actor, customer.company.id, installed?.id ?? '');
    assert.equal(sample(await scrape(), 'porter_uninstalls_total'), 1);
  });
});

forEachDialect('operator metrics, not configured', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('exposes no /metrics at all', async () => {
    assert.equal((await fetch(`${porter.url}/metrics`)).status, 404);
  });
});
