import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One request the receiver got: its path, headers and raw body, as a real receiver sees them. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: the event is inspected field by field
  event: any;
}

/** How the receiver answers a request: a status (and headers, after a delay), or never (a hung receiver). */
export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang';

/**
 * A webhook receiver on a free port of 127.0.0.1: records every request and answers as
 * `answer` says (200 by default).
 */
export async function startReceiver(answer: (r: Received) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: unknown;
      try {
        event = JSON.parse(body);
      } catch {
        event = undefined;
      }
      const r: Received = { path: req.url ?? '', headers: req.headers, body, event };
      received.push(r);
      const a = answer(r);
      if (a === 'hang') return void hung.push(res);
      setTimeout(() => res.writeHead(a.status, a.headers).end('ok'), a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    /** The requests to `path` once there are `n` of them (waiting at most `ms`), in arrival order. */
    async waitFor(path: string, n: number, ms = 10_000): Promise<Received[]> {
      const until = Date.now() + ms;
      for (;;) {
        const got = received.filter((r) => r.path === path);
        if (got.length >= n) return got;
        if (Date.now() > until) throw new Error(`${path} got ${got.length} requests, not ${n}, in ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

// The README's own verification code (the ```js block defining verifyPorterWebhook), loaded
// as a module: the tests verify deliveries with what app developers copy, so it cannot drift.
const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
const sample = /```js\n((?:(?!\n```)[\s\S])*verifyPorterWebhook[\s\S]*?)\n```/.exec(readme)?.[1];
if (!sample) throw new Error('the README has no verifyPorterWebhook sample');
const samplePath = join(mkdtempSync(join(tmpdir(), 'porter-readme-')), 'verify.mjs');
writeFileSync(samplePath, sample);
const { verifyPorterWebhook } = (await import(pathToFileURL(samplePath).href)) as {
  verifyPorterWebhook: (rawBody: string, header: string, secret: string, toleranceS?: number) => unknown;
};

/**
 * Checks a delivery with the README's verifyPorterWebhook (node:crypto only: a recent timestamp,
 * a v1 HMAC-SHA256 of `${t}.${body}` matching `secret`, compared in constant time), and that it
 * parses to the event received. Answers how many v1 entries the header had.
 */
export function verifySignature(r: Received, secret: string, toleranceS = 300): number {
  const header = String(r.headers['porter-signature'] ?? '');
  assert.deepEqual(verifyPorterWebhook(r.body, header, secret, toleranceS), r.event);
  return header.split(',').filter((p) => p.startsWith('v1=')).length;
}
