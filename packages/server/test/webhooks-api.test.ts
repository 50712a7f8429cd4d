import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi, makeDeveloper } from './helpers/api.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { startPorter, type TestPorter } from './helpers/porter.js';
import { type Receiver, startReceiver, verifySignature } from './helpers/webhook-receiver.js';

// Webhook deliveries through the developer API (a personal token) and the operator's CLI, which
// only records: the running server's worker finds the event in the database and sends it.

forEachDialect('webhook deliveries in the developer API and the CLI', (dialect) => {
  let porter: TestPorter;
  let receiver: Receiver;
  before(async () => {
    porter = await startPorter(dialect, {
      PORTER_WEBHOOKS_ALLOW_PRIVATE: '1',
      PORTER_WEBHOOKS_POLL_MS: '100',
    });
    receiver = await startReceiver();
  });
  after(async () => {
    await porter.close();
    await receiver.close();
  });

  async function appWithWebhook(path: string) {
    const dev = await makeDeveloper(porter);
    const created = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, {
      name: 'API Hooks',
      scopes: ['events:write'],
      webhook_url: receiver.url(path),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { dev, appId: String(created.body.id) };
  }

  it('sends a test event, lists it and redelivers it', async () => {
    const { dev, appId } = await appWithWebhook('/api');
    const base = `/developer/v1/apps/${appId}/webhooks`;
    const test = await callApi(porter, 'POST', `${base}/test`, dev.token);
    assert.equal(test.status, 202);
    const [sent] = await receiver.waitFor('/api', 1);
    assert.equal(sent?.event.id, test.body.id);
    const secret = await porter.services.webhooks.revealSecret(dev.actor, dev.company.id, appId);
    verifySignature(sent ?? assert.fail(), secret);

    const again = await callApi(porter, 'POST', `${base}/deliveries/${test.body.id}/redeliver`, dev.token);
    assert.equal(again.status, 202);
    await receiver.waitFor('/api', 2);
    const until = Date.now() + 5000;
    let list = await callApi(porter, 'GET', `${base}/deliveries`, dev.token);
    while (list.body.deliveries[0]?.attempts !== 2 && Date.now() < until)
      list = await callApi(porter, 'GET', `${base}/deliveries`, dev.token);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.deliveries.map((d: Record<string, unknown>) => [
        d.id,
        d.type,
        d.status,
        d.last_status_code,
        d.attempts,
      ]),
      [[test.body.id, 'test', 'delivered', 200, 2]],
    );
  });

  it("answers 404 for another company's app and an unknown delivery, and 409 without a URL", async () => {
    const { appId } = await appWithWebhook('/api-other');
    const stranger = await makeDeveloper(porter);
    const base = `/developer/v1/apps/${appId}/webhooks`;
    assert.equal((await callApi(porter, 'GET', `${base}/deliveries`, stranger.token)).status, 404);
    assert.equal((await callApi(porter, 'POST', `${base}/test`, stranger.token)).status, 404);
    const own = await callApi(porter, 'POST', '/developer/v1/apps', stranger.token, {
      name: 'No Hooks',
      scopes: ['events:write'],
    });
    const mine = `/developer/v1/apps/${own.body.id}/webhooks`;
    assert.equal(
      (await callApi(porter, 'POST', `${mine}/deliveries/whe_unknown/redeliver`, stranger.token)).status,
      404,
    );
    const refused = await callApi(porter, 'POST', `${mine}/test`, stranger.token);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'conflict');
  });

  it('queues a test event from the CLI, which the running server sends', async () => {
    const { dev, appId } = await appWithWebhook('/cli');
    const env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url, LOG_LEVEL: 'silent' };
    const target = ['--company', dev.company.id, '--app', appId, '--json'];
    const queued = await porterCli(['webhooks', 'test', ...target], env);
    assert.equal(queued.status, 0, queued.err);
    const { id } = JSON.parse(queued.out);
    const [sent] = await receiver.waitFor('/cli', 1);
    assert.equal(sent?.event.id, id);
    const listed = await porterCli(['webhooks', 'list', ...target], env);
    assert.equal(listed.status, 0, listed.err);
    assert.equal(JSON.parse(listed.out).deliveries[0]?.id, id);
    const unknown = await porterCli(['webhooks', 'redeliver', ...target, '--delivery', 'whe_nope'], env);
    assert.notEqual(unknown.status, 0);
  });
});
