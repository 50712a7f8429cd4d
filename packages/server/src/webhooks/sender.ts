import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ipLiteral, isPublicAddress } from './addresses.js';

/** How one POST ended: the receiver's status, or why there was none. */
export interface SendOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  /** Allow private, loopback and link-local addresses (development and tests only). */
  allowPrivate: boolean;
}

/** Read at most this much of an answer, then drop it: only the status matters. */
const MAX_ANSWER_BYTES = 4096;

class Refused extends Error {}

/**
 * Resolves the host and refuses it when any of its addresses is not public: the connection then
 * goes to the address checked here, never to a second resolution (DNS rebinding).
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      if (list.length === 0) return callback(new Refused(`${hostname} resolves to no address`), '', 0);
      if (!allowPrivate && list.some((a) => !isPublicAddress(a.address)))
        return callback(new Refused(`${hostname} resolves to a private address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      const [first] = list;
      return callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };
}

/**
 * POSTs a webhook: connect and total time limited, no redirect followed (a 3xx is a failure the
 * caller records), the answer's body read up to 4 KB and dropped, and unless `allowPrivate` no
 * private, loopback or link-local address, checked after DNS resolution.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendOutcome> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendOutcome => ({
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const checked = checkedTarget(url, options.allowPrivate);
  if (typeof checked === 'string') return Promise.resolve(done(null, checked));
  const { target, client } = checked;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(done(statusCode, error));
    };
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: checkedLookup(options.allowPrivate),
      // No connection pooling: each delivery is checked and connected on its own.
      agent: false,
    });
    const timer = setTimeout(
      () => finish(null, `Timed out after ${options.timeoutMs / 1000} s.`),
      options.timeoutMs,
    );
    request.on('error', (err) =>
      finish(null, err instanceof Refused ? `Refused: ${err.message}.` : networkError(err)),
    );
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_ANSWER_BYTES) finish(status, answerError(status));
      });
      response.on('end', () => finish(status, answerError(status)));
      response.on('error', () => finish(status, answerError(status)));
    });
    request.end(body);
  });
}

/** The URL and the HTTP module to reach it, or why it is refused before any connection. */
function checkedTarget(
  url: string,
  allowPrivate: boolean,
): { target: URL; client: Pick<typeof http, 'request'> } | string {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'The webhook URL is not a valid URL.';
  }
  const literal = ipLiteral(target.hostname);
  if (literal !== undefined && !allowPrivate && !isPublicAddress(literal))
    return `Refused: ${literal} is a private address.`;
  // Plain http only in development: a URL saved then stays refused once the switch is off.
  if (target.protocol === 'https:') return { target, client: https };
  if (target.protocol === 'http:' && allowPrivate) return { target, client: http };
  return 'The webhook URL must be https.';
}

function answerError(status: number): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return `Answered ${status}: redirects are not followed.`;
  return `Answered ${status}.`;
}

function networkError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return `${code ? `${code}: ` : ''}${err.message}`.slice(0, 200);
}
