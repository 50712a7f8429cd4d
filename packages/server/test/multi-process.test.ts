import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callApi, expectStatusWithin } from './helpers/api.js';
import { dialects } from './helpers/dialects.js';
import { makeAppCredentials, SEED_SCOPES } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';
import { type PorterProcess, spawnPorter } from './helpers/process.js';
import { type Receiver, startReceiver } from './helpers/webhook-receiver.js';

// Both processes send webhooks, to a receiver on 127.0.0.1, polling often.
const WEBHOOKS = { PORTER_WEBHOOKS_ALLOW_PRIVATE: '1', PORTER_WEBHOOKS_POLL_MS: '50' };

// Several Porter processes on one PostgreSQL, as behind a load balancer: this one (the test's
// own server) revokes, a second process (`porter start`) must refuse within a second.
const postgres = dialects.find((d) => d.name === 'postgres');
if (!postgres)
  process.stderr.write(
    '\n!! MULTI-PROCESS TEST SKIPPED: it needs PostgreSQL (DATABASE_URL=postgres://…)\n\n',
  );

describe('two Porter processes on one PostgreSQL', { skip: !postgres }, () => {
  let one: TestPorter;
  let two: PorterProcess;
  let receiver: Receiver;
  before(async () => {
    one = await startPorter(postgres ?? (undefined as never), WEBHOOKS);
    two = await spawnPorter(one, WEBHOOKS);
    // Each answer takes a while, so both processes are polling while deliveries are in flight.
    receiver = await startReceiver(() => ({ status: 200, delayMs: 30 }));
  });
  after(async () => {
    await two.close();
    await one.close();
    await receiver.close();
  });

  const other = () => ({ url: two.url }) as TestPorter;

  /** Works through both; after `revoke` through the first, refused by the second within a second. */
  async function revokedEverywhere(token: string, revoke: () => Promise<unknown>) {
    for (const porter of [one, other()])
      assert.equal((await callApi(porter, 'GET', '/v1/me', token)).status, 200);
    await revoke();
    assert.equal((await callApi(one, 'GET', '/v1/me', token)).status, 401, 'at once in the revoking process');
    const ms = await expectStatusWithin(other(), '/v1/me', token, 401, 1500);
    assert.ok(ms <= 1500, `the other process refused it after ${ms} ms`);
  }

  it('refuses a regenerated API key in the other process within a second', async () => {
    const { partner, api_key } = await makeAppCredentials(one, SEED_SCOPES, 'Regenerated');
    await revokedEverywhere(api_key.token, () =>
      one.services.apps.regenerateApiKey(partner.actor, partner.dev.company.id, partner.app.id),
    );
  });

  it("refuses a deleted app's API key and access token in the other process within a second", async () => {
    const { partner, api_key, access_token } = await makeAppCredentials(one, SEED_SCOPES, 'Deleted');
    assert.equal((await callApi(other(), 'GET', '/v1/me', access_token.token)).status, 200);
    await revokedEverywhere(api_key.token, () =>
      one.services.apps.delete(partner.actor, partner.dev.company.id, partner.app.id),
    );
    await expectStatusWithin(other(), '/v1/me', access_token.token, 401, 1500);
  });

  it('refuses an uninstalled access token in the other process within a second', async () => {
    const { customer, access_token } = await makeAppCredentials(one, SEED_SCOPES, 'Uninstalled');
    const actor = { kind: 'user' as const, userId: customer.user.id, label: customer.email };
    const [installed] = await one.services.installations.list(actor, customer.company.id);
    await revokedEverywhere(access_token.token, () =>
      one.services.installations.uninstall(actor, customer.company.id, installed?.id ?? ''),
    );
  });

  it('sends each webhook once, whichever process takes it', async () => {
    const { partner } = await makeAppCredentials(one, SEED_SCOPES, 'Hooked');
    const target = [partner.actor, partner.dev.company.id, partner.app.id] as const;
    await one.services.apps.update(...target, { webhook_url: receiver.url('/once') });
    // Recorded through the first process; the second finds them due when it polls.
    const ids = await Promise.all(
      Array.from({ length: 40 }, () => one.services.webhooks.sendTest(...target)),
    );
    const got = await receiver.waitFor('/once', 40, 15_000);
    // Time for a duplicate to arrive, if a second sender had taken one.
    await new Promise((r) => setTimeout(r, 500));
    const sent = receiver.received.filter((r) => r.path === '/once').map((r) => r.event.id as string);
    assert.equal(sent.length, 40, `${sent.length} requests for 40 events`);
    assert.deepEqual([...new Set(sent)].sort(), [...ids].sort());
    assert.equal(got.length, 40);
  });
});
