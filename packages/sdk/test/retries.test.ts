import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../server/test/helpers/dialects.js';
import { makeAppCredentials } from '../../server/test/helpers/oauth.js';
import { startPorter, type TestPorter } from '../../server/test/helpers/porter.js';
import { PorterApiError, PorterClient } from '../src/index.js';

type Fault = (
  req: IncomingMessage,
  res: ServerResponse,
  forward: () => Promise<Response>,
) => Promise<boolean>;

/**
 * A proxy in front of the real Porter that may fail a request before or after forwarding it
 * (a fault answers and returns true), and records what it saw.
 */
async function faultyProxy(target: string, fault: Fault) {
  const seen: { method: string; key: string | undefined }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method ?? '', key: req.headers['idempotency-key'] as string | undefined });
    const forward = () =>
      fetch(`${target}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
    if (await fault(req, res, forward)) return;
    const answer = await forward();
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

const quick = { baseDelayMs: 5, maxDelayMs: 2000 };

forEachDialect('SDK retries against a real Porter', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, { PORTER_RATE_LIMIT: '2/second' });
  });
  after(() => porter.close());

  it("waits out Porter's 429 Retry-After and gets the answer", async () => {
    const { access_token } = await makeAppCredentials(porter, ['events:write'], 'Retry 429');
    const statuses: number[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    const client = new PorterClient(porter.url, access_token.token, { ...quick, fetch: recording });
    const answers = await Promise.all([client.me(), client.me(), client.me()]);
    assert.equal(answers.length, 3);
    assert.ok(statuses.includes(429), `statuses: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 200).length, 3);
  });

  it('retries a write whose answer was lost with the same key, and Porter writes it once', async () => {
    const { access_token } = await makeAppCredentials(porter, ['events:write'], 'Retry lost');
    let lost = false;
    const proxy = await faultyProxy(porter.url, async (req, res, forward) => {
      if (req.method !== 'POST' || lost) return false;
      lost = true;
      await forward(); // Porter writes; the answer never reaches the client.
      res.writeHead(502, { 'retry-after': '0' }).end();
      return true;
    });
    try {
      const client = new PorterClient(proxy.url, access_token.token, quick);
      const event = await client.recordCustomEvent({ type: 'Paid', user: { external_id: 'crm-9' } });
      const posts = proxy.seen.filter((s) => s.method === 'POST');
      assert.equal(posts.length, 2);
      assert.ok(posts[0]?.key);
      assert.equal(posts[1]?.key, posts[0]?.key);
      const { events } = await new PorterClient(porter.url, access_token.token, quick).listCustomEvents();
      assert.deepEqual(
        events.map((e) => e.id),
        [event.id],
      );
    } finally {
      await proxy.close();
    }
  });

  it('gives up after the retry budget, and does not retry a 500 or a Retry-After beyond the cap', async () => {
    const { access_token } = await makeAppCredentials(porter, ['events:write'], 'Retry budget');
    let answer = { status: 503, retryAfter: '0' };
    const proxy = await faultyProxy(porter.url, async (_req, res) => {
      res.writeHead(answer.status, { 'retry-after': answer.retryAfter, 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'unavailable', title: 'Down for a moment' }));
      return true;
    });
    try {
      const client = new PorterClient(proxy.url, access_token.token, { ...quick, maxRetries: 2 });
      const failed = (status: number) => (err: unknown) =>
        err instanceof PorterApiError && err.status === status && err.code === 'unavailable';
      await assert.rejects(client.me(), failed(503));
      assert.equal(proxy.seen.length, 3);
      answer = { status: 500, retryAfter: '0' };
      await assert.rejects(client.me(), failed(500));
      assert.equal(proxy.seen.length, 4);
      answer = { status: 503, retryAfter: '60' };
      await assert.rejects(
        client.me(),
        (err: unknown) => failed(503)(err) && (err as PorterApiError).retryAfterSeconds === 60,
      );
      assert.equal(proxy.seen.length, 5);
    } finally {
      await proxy.close();
    }
  });

  it('retries a refused connection, then reports it', async () => {
    const proxy = await faultyProxy(porter.url, async () => false);
    await proxy.close();
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const client = new PorterClient(proxy.url, 'porter_at_x', { ...quick, maxRetries: 1, fetch: counting });
    await assert.rejects(client.me(), TypeError);
    assert.equal(calls, 2);
  });
});
