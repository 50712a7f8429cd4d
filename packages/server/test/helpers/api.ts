import type { TestPorter } from './porter.js';
import { makeUser } from './porter.js';

/** A developer (owner of a company) with a personal token for the developer API. */
export async function makeDeveloper(porter: TestPorter, opts: { company?: string } = {}) {
  const dev = await makeUser(porter, opts);
  const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
  const { token } = await porter.services.credentials.createPersonalToken(actor, dev.company.id, 'tests');
  return { ...dev, actor, token };
}

/** Calls a JSON endpoint with a bearer token; returns status, headers and parsed body. */
export async function callApi(
  porter: TestPorter,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...extraHeaders };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${porter.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  const json: any = text ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, body: json };
}

/**
 * Polls a bearer-protected GET until it answers `status`; fails after `withinMs`. For changes
 * made by another process (the CLI), which Porter honours within a second.
 */
export async function expectStatusWithin(
  porter: TestPorter,
  path: string,
  token: string,
  status: number,
  withinMs = 1500,
) {
  const start = Date.now();
  let last = 0;
  while (Date.now() - start <= withinMs) {
    last = (await callApi(porter, 'GET', path, token)).status;
    if (last === status) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} still answered ${last}, not ${status}, after ${withinMs} ms`);
}
