import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

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

/**
 * Checks a delivery as the README tells a receiver to, with node:crypto only: the signature
 * header's timestamp is recent, and one of its v1 HMAC-SHA256 signatures of `${t}.${body}`
 * matches `secret` (compared in constant time). Answers how many v1 entries the header had.
 */
export function verifySignature(r: Received, secret: string, toleranceS = 300): number {
  const header = String(r.headers['porter-signature'] ?? '');
  const parts = header.split(',').map((p) => p.split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceS)
    throw new Error(`stale or missing timestamp in ${header}`);
  const expected = createHmac('sha256', secret).update(`${t}.${r.body}`).digest();
  const ok = signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw new Error(`no v1 signature of ${header} matches the secret`);
  return signatures.length;
}
