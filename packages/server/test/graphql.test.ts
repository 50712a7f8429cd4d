import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeAppCredentials, SEED_SCOPES } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// Seed 002 (Attentive), byte for byte: the GraphQL example of "HTTP authentication".
const SEED_BODY =
  '{"query":"\\nquery {\\n  viewer {\\n    installedApplication {\\n      installerCompany {\\n          id\\n          name\\n      }\\n    }\\n  }\\n}\\n\\n","variables":{}}';

async function graphql(porter: TestPorter, token: string | undefined, body: string) {
  const res = await fetch(`${porter.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const query = (porter: TestPorter, token: string | undefined, q: string, variables = {}) =>
  graphql(porter, token, JSON.stringify({ query: q, variables }));

forEachDialect('GraphQL', (dialect) => {
  let porter: TestPorter;
  let full: Awaited<ReturnType<typeof makeAppCredentials>>;
  let narrow: Awaited<ReturnType<typeof makeAppCredentials>>;
  before(async () => {
    porter = await startPorter(dialect);
    full = await makeAppCredentials(porter, SEED_SCOPES, 'Graph App');
    narrow = await makeAppCredentials(porter, ['ecommerce:write'], 'Narrow App');
  });
  after(() => porter.close());

  it('answers the seed’s viewer query as documented, with an API key and with an access token', async () => {
    for (const kind of ['api_key', 'access_token'] as const) {
      const res = await graphql(porter, full[kind].token, SEED_BODY);
      assert.equal(res.status, 200);
      const name = kind === 'api_key' ? full.partner.dev.company.name : full.customer.company.name;
      assert.deepEqual(res.body, {
        data: { viewer: { installedApplication: { installerCompany: { id: full[kind].companyId, name } } } },
      });
    }
  });

  it('gives the installation record of /v1/me', async () => {
    const token = full.access_token.token;
    const me = await callApi(porter, 'GET', '/v1/me', token);
    const res = await query(
      porter,
      token,
      `{ viewer { credential scopes installedApplication { id name installation {
          id app { id name } company { id name } region apiBaseUrl scopes
          installedBy { id name email } installedAt updatedAt } } } }`,
    );
    const i = me.body.installation;
    assert.deepEqual(res.body.data.viewer, {
      credential: 'access_token',
      scopes: me.body.scopes,
      installedApplication: {
        id: me.body.application.id,
        name: me.body.application.name,
        installation: {
          id: i.id,
          app: i.app,
          company: i.company,
          region: i.region,
          apiBaseUrl: i.api_base_url,
          scopes: i.scopes,
          installedBy: i.installed_by,
          installedAt: i.installed_at,
          updatedAt: i.updated_at,
        },
      },
    });
    const key = await query(
      porter,
      full.api_key.token,
      '{ viewer { installedApplication { installation { id } } } }',
    );
    assert.equal(key.body.data.viewer.installedApplication.installation, null);
  });

  it('reads what the REST API reads, under the same scopes and only in the caller’s company', async () => {
    const token = full.access_token.token;
    const user = { phone: '+14155550199', email: 'graph@example.test' };
    const made = await callApi(porter, 'POST', '/v1/events/custom', token, {
      type: 'Graph',
      user,
      properties: { plan_id: 7 },
    });
    await callApi(porter, 'POST', '/v1/subscriptions', token, { user, channel: 'email' });
    const request = await callApi(porter, 'POST', '/v1/privacy-requests', full.api_key.token, {
      user: { phone: '+14155550000' },
    });
    const res = await query(
      porter,
      token,
      `query($id: ID!) {
        customEvents(first: 5, type: "Graph") { nodes { id type properties subscriber { phone externalId } } nextCursor }
        subscriptions(email: "graph@example.test") { nodes { channel status subscriber { email } } }
        privacyRequest(id: $id) { id }
      }`,
      { id: request.body.id },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.data.customEvents, {
      nodes: [
        {
          id: made.body.id,
          type: 'Graph',
          properties: { plan_id: 7 },
          subscriber: { phone: user.phone, externalId: null },
        },
      ],
      nextCursor: null,
    });
    assert.deepEqual(res.body.data.subscriptions.nodes, [
      { channel: 'email', status: 'subscribed', subscriber: { email: user.email } },
    ]);
    assert.equal(res.body.data.privacyRequest, null, 'another company’s privacy request is not found');
    const own = await query(
      porter,
      full.api_key.token,
      'query($id: ID!) { privacyRequest(id: $id) { id deleted { subscribers } } }',
      {
        id: request.body.id,
      },
    );
    assert.deepEqual(own.body.data.privacyRequest, { id: request.body.id, deleted: { subscribers: 0 } });
    const theirs = await query(
      porter,
      full.api_key.token,
      '{ customEvents(type: "Graph") { nodes { id } } }',
    );
    assert.deepEqual(theirs.body.data.customEvents.nodes, []);
  });

  it('refuses a read without its scope with insufficient_scope naming it', async () => {
    for (const kind of ['api_key', 'access_token'] as const) {
      const res = await query(porter, narrow[kind].token, '{ customEvents { nodes { id } } }');
      assert.equal(res.status, 200);
      assert.equal(res.body.data, null);
      assert.deepEqual(res.body.errors[0].extensions, { code: 'insufficient_scope', scope: 'events:write' });
      assert.deepEqual(res.body.errors[0].path, ['customEvents']);
    }
  });

  it('checks the token first: 401 in GraphQL’s shape, and no introspection without one', async () => {
    const none = await graphql(porter, undefined, SEED_BODY);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="porter"');
    assert.equal(none.body.errors[0].extensions.code, 'invalid_token');
    const introspection = JSON.stringify({ query: getIntrospectionQuery() });
    assert.equal((await graphql(porter, 'porter_ak_bogus', introspection)).status, 401);
    const withToken = await graphql(porter, narrow.api_key.token, introspection);
    assert.equal(withToken.status, 200);
    assert.ok(
      withToken.body.data.__schema.types.some((t: { name: string }) => t.name === 'InstalledApplication'),
    );
  });

  it('refuses malformed queries and queries over the alias or cost limit, in GraphQL’s shape', async () => {
    const token = full.api_key.token;
    const syntax = await query(porter, token, '{ viewer { ');
    assert.equal(syntax.status, 400);
    assert.match(syntax.body.errors[0].message, /Syntax Error/);
    const unknown = await query(porter, token, '{ nope }');
    assert.equal(unknown.status, 400);
    const noQuery = await graphql(porter, token, '{"variables":{}}');
    assert.equal(noQuery.status, 400);
    assert.equal(noQuery.body.errors[0].extensions.code, 'invalid_request');
    const aliases = Array.from({ length: 11 }, (_, i) => `a${i}: viewer { scopes }`).join(' ');
    const tooMany = await query(porter, token, `{ ${aliases} }`);
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.errors[0].extensions.code, 'query_too_complex');
    const page =
      'customEvents(first: 100) { nodes { id type properties occurredAt createdAt subscriber { id phone email externalId } } }';
    const costly = await query(porter, token, `{ a: ${page} b: ${page} c: ${page} }`);
    assert.equal(costly.status, 400);
    assert.match(costly.body.errors[0].message, /cost is \d+; at most 2000/);
    const badArg = await query(porter, token, '{ customEvents(first: 0) { nodes { id } } }');
    assert.equal(badArg.body.errors[0].extensions.code, 'invalid_request');
  });
});
