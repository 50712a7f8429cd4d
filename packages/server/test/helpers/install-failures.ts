import { hashSecret } from '../../src/lib/secrets.js';
import {
  authorizeCode,
  exchangeBody,
  makeCustomer,
  makeDistributedApp,
  pkce,
  postToken,
  REDIRECT,
} from './oauth.js';
import type { TestPorter } from './porter.js';

export const ALLOWED_ORIGIN = 'https://partner.example';
const origin = { headers: { origin: ALLOWED_ORIGIN } };

/** One failure the install debugger promises: what was sent, and what its entry must say. */
export interface ExpectedFailure {
  kind: string;
  endpoint: string;
  error: string;
  /** The explanation, as the page, the API and the CLI show it. */
  message: RegExp;
}

/**
 * Produces, over HTTP, every failure the install debugger explains, against one app (with an
 * allowed origin) and a second app whose secret gets mixed up with the first's. Answers what
 * each entry must say and every secret, code and verifier that was sent, none of which may be
 * stored or shown.
 */
export async function produceFailures(porter: TestPorter) {
  const partner = await makeDistributedApp(porter, {
    allowedOrigins: [ALLOWED_ORIGIN],
    name: 'Partner Sync',
  });
  const other = await makeDistributedApp(porter, { name: 'Other App' });
  const customer = await makeCustomer(porter, { company: 'Debugged Customer' });
  const sent: string[] = [partner.clientSecret, other.clientSecret];
  const expected: ExpectedFailure[] = [];
  const expect = (kind: string, endpoint: string, error: string, message: RegExp) =>
    expected.push({ kind, endpoint, error, message });
  const token = (body: Record<string, string>, headers = origin.headers, path = '/oauth/token') =>
    postToken(porter, body, { headers, path, json: path !== '/oauth/token' });
  const newCode = async (url = partner.distributionUrl) => {
    const { code } = await authorizeCode(customer.client, url);
    if (!code) throw new Error('no code');
    sent.push(code);
    return code;
  };

  const evil = 'https://evil.example/cb';
  const authorize = `${porter.url}/oauth/authorize?response_type=code&client_id=${partner.clientId}`;
  await fetch(`${authorize}&redirect_uri=${encodeURIComponent(evil)}`, { redirect: 'manual' });
  expect(
    'redirect_uri_mismatch',
    '/oauth/authorize',
    'invalid_request',
    /The redirect_uri "https:\/\/evil\.example\/cb" is not registered\. Registered: "https:\/\/partner\.example\/oauth\/callback\?src=porter"/,
  );

  await fetch(`${partner.distributionUrl.replace(/scope=[^&]*/, 'scope=admin%3Aall')}`, {
    redirect: 'manual',
  });
  expect(
    'scope_not_requested',
    '/integrations/oauth-install',
    'invalid_scope',
    /scopes the app does not request: "admin:all"/,
  );

  await token(exchangeBody({ ...partner, clientSecret: other.clientSecret }, 'porter_ac_whatever'));
  expect(
    'secret_for_other_client',
    '/oauth/token',
    'invalid_client',
    new RegExp(`belongs to another app, whose client ID is ${other.clientId}`),
  );

  const wrong = 'porter_cs_notthesecretatall';
  sent.push(wrong);
  await token(exchangeBody({ ...partner, clientSecret: wrong }, 'porter_ac_whatever'));
  expect('secret_mismatch', '/oauth/token', 'invalid_client', /not this app's current secret/);

  await token(exchangeBody({ ...partner, clientId: 'partner-typo' }, 'porter_ac_whatever'));
  expect(
    'client_id_unknown',
    '/oauth/token',
    'invalid_client',
    /came with the client ID "partner-typo", which no app has/,
  );

  await token(exchangeBody(partner, 'porter_ac_whatever'), { origin: 'https://evil.example' });
  expect(
    'origin_not_allowed',
    '/oauth/token',
    'unauthorized_client',
    /Origin "https:\/\/evil\.example", which is not allowed\. Allowed: "https:\/\/partner\.example"/,
  );

  const late = await newCode();
  const expiredAt = new Date(Date.now() - 95_000).toISOString();
  await porter.db
    .updateTable('authorization_codes')
    .set({ expires_at: expiredAt })
    .where('hash', '=', hashSecret(late))
    .execute();
  await token(exchangeBody(partner, late));
  expect(
    'code_expired',
    '/oauth/token',
    'invalid_grant',
    /The code expired 9\d seconds before it was exchanged/,
  );

  const once = await newCode();
  const first = await token(exchangeBody(partner, once));
  if (first.status !== 200) throw new Error(`exchange failed: ${JSON.stringify(first.body)}`);
  sent.push(String(first.body.access_token));
  await token(exchangeBody(partner, once));
  expect(
    'code_used',
    '/oauth/token',
    'invalid_grant',
    /The code was already used (less than a second|\d+ seconds?) earlier; a code works once, so the token issued with it was revoked/,
  );

  const { verifier, challenge } = pkce();
  const wrongVerifier = pkce().verifier;
  sent.push(verifier, wrongVerifier);
  const withPkce = await newCode(
    `${partner.distributionUrl}&code_challenge=${challenge}&code_challenge_method=S256`,
  );
  await token({ ...exchangeBody(partner, withPkce), code_verifier: wrongVerifier });
  expect(
    'pkce_mismatch',
    '/oauth/token',
    'invalid_grant',
    /The code_verifier does not match the code_challenge/,
  );

  const moved = await newCode();
  await token({ ...exchangeBody(partner, moved), redirect_uri: 'https://partner.example/elsewhere' });
  expect(
    'redirect_uri_differs',
    '/oauth/token',
    'invalid_grant',
    /The redirect_uri "https:\/\/partner\.example\/elsewhere" differs from the one of the authorization request, "https:\/\/partner\.example\/oauth\/callback\?src=porter"/,
  );

  const unknown = 'porter_ac_neverissued';
  await token(
    {
      code: unknown,
      client_id: partner.clientId,
      client_secret: partner.clientSecret,
      redirect_uri: REDIRECT,
    },
    origin.headers,
    '/launchpad/v1/token.json',
  );
  expect(
    'code_unknown',
    '/launchpad/v1/token.json',
    'invalid_grant',
    /The code is not one Porter issued to this app/,
  );

  return { partner, other, customer, expected, sent };
}
