import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { PageClient } from './browserless.js';
import { freePort, makeUser, type TestPorter } from './porter.js';

/** The seeds' five scopes (the default scope registry). */
export const SEED_SCOPES = [
  'events:write',
  'ecommerce:write',
  'subscriptions:write',
  'attributes:write',
  'privacy_requests:write',
];

export const REDIRECT = 'https://partner.example/oauth/callback?src=porter';

/** A developer company with a distributed app; its credentials as the portal shows them once. */
export async function makeDistributedApp(
  porter: TestPorter,
  opts: { scopes?: string[]; redirectUrls?: string[]; allowedOrigins?: string[]; name?: string } = {},
) {
  const dev = await makeUser(porter, { company: 'Partner Apps' });
  const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
  const { apps } = porter.services;
  const { app, apiKey } = await apps.create(actor, dev.company.id, {
    name: opts.name ?? 'Partner Sync',
    scopes: opts.scopes ?? ['events:write', 'subscriptions:write'],
    allowed_origins: opts.allowedOrigins ?? [],
  });
  const { app: distributed, clientSecret } = await apps.enableDistribution(actor, dev.company.id, app.id, {
    redirect_urls: opts.redirectUrls ?? [REDIRECT],
  });
  return {
    dev,
    actor,
    app: distributed,
    clientId: distributed.client_id ?? '',
    clientSecret,
    redirectUri: distributed.redirect_urls[0] ?? '',
    distributionUrl: distributed.distribution_url ?? '',
    /** The app's API key: it acts on the developer company. */
    apiKey,
  };
}

/** A customer admin who owns a company, signed in with a cookie-keeping client. */
export async function makeCustomer(porter: TestPorter, opts: { company?: string } = {}) {
  const customer = await makeUser(porter, { company: opts.company ?? 'Globex Retail' });
  const client = new PageClient(porter.url);
  await client.signIn(customer.email, customer.password);
  return { ...customer, client };
}

/** A PKCE pair (RFC 7636): the verifier to keep and its S256 challenge. */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Opens an authorization URL as the signed-in customer: the consent page and its form fields. */
export async function openConsent(client: PageClient, url: string) {
  const u = new URL(url);
  const { res, html, csrf } = await client.page(`${u.pathname}${u.search}`);
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { res, html, csrf, requestId };
}

/** Answers the consent page; returns the redirect's Location. */
export async function answerConsent(
  client: PageClient,
  consent: { csrf: string; requestId: string },
  decision: 'authorize' | 'decline',
  companyId?: string,
) {
  const form: Record<string, string> = { _csrf: consent.csrf, request_id: consent.requestId, decision };
  if (companyId) form.company_id = companyId;
  const res = await client.post('/oauth/consent', form);
  return { res, location: res.headers.get('location') ?? '' };
}

/** Runs the install to the code: open the URL, authorize; returns the code and the redirect. */
export async function authorizeCode(client: PageClient, url: string, companyId?: string) {
  const consent = await openConsent(client, url);
  const { res, location } = await answerConsent(client, consent, 'authorize', companyId);
  const code = location.startsWith('http') ? (new URL(location).searchParams.get('code') ?? '') : '';
  return { res, location, code, consent };
}

/** POSTs to a token endpoint (form by default); returns status, headers and JSON. */
export async function postToken(
  porter: TestPorter,
  body: Record<string, string>,
  opts: { json?: boolean; path?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${porter.url}${opts.path ?? '/oauth/token'}`, {
    method: 'POST',
    headers: {
      'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
      ...opts.headers,
    },
    body: opts.json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: responses are inspected field by field
  const json: any = text ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, body: json };
}

/** The standard token request for a code of this app (RFC 6749 §4.1.3, credentials in the body). */
export function exchangeBody(
  partner: { clientId: string; clientSecret: string; redirectUri: string },
  code: string,
): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: partner.redirectUri,
    client_id: partner.clientId,
    client_secret: partner.clientSecret,
  };
}

/**
 * An app with these scopes and both of its credentials, from the real flows: its API key (acting
 * on the developer company) and an access token from a customer's install (acting on theirs).
 */
export async function makeAppCredentials(porter: TestPorter, scopes: string[], name = 'Partner Sync') {
  const partner = await makeDistributedApp(porter, { scopes, name });
  const customer = await makeCustomer(porter, { company: `${name} Customer` });
  const { code } = await authorizeCode(customer.client, partner.distributionUrl);
  const token = await postToken(porter, exchangeBody(partner, code));
  if (token.status !== 200) throw new Error(`install failed: ${JSON.stringify(token.body)}`);
  return {
    partner,
    customer,
    api_key: { token: partner.apiKey, companyId: partner.dev.company.id },
    access_token: { token: String(token.body.access_token), companyId: customer.company.id },
  };
}

/** A stand-in for an app's web server: its `/oauth/callback` answers a page and keeps each URL it received. */
export async function startCallbackServer() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/oauth/callback`;
  const received: URL[] = [];
  const server = createServer((req, res) => {
    const at = new URL(req.url ?? '/', url);
    if (at.pathname === '/oauth/callback') received.push(at);
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>Partner</title><p>Installed</p>');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
