// The install flow as a customer lives it, for `npm run bench`: a signed-in browser (cookies)
// opens the authorization URL (consent page), posts Authorize (303 with a code), and the app
// exchanges the code. Used against Porter and against a bare Fastify server that answers the
// same three requests, with the same client code, so the two are comparable.
import { createHash, randomBytes } from 'node:crypto';

/** A cookie jar of one browser. */
export class Browser {
  cookies = new Map();
  constructor(base) {
    this.base = base;
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value) this.cookies.set(pair.slice(0, eq).trim(), value);
      else this.cookies.delete(pair.slice(0, eq).trim());
    }
  }
  async request(path, init = {}) {
    const headers = { ...init.headers, cookie: this.header() };
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
    this.keep(res);
    return res;
  }
  post(path, form) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }
  async signIn(email, password) {
    const page = await (await this.request('/sign-in')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await this.post('/sign-in', { _csrf: csrf, email, password });
    await res.arrayBuffer();
    if (!this.cookies.has('porter_session')) throw new Error('bench sign-in failed');
  }
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Consent page → Authorize: the code (with its PKCE verifier) the redirect carries. */
export async function authorize(browser, app) {
  const { verifier, challenge } = pkce();
  const url = `${app.authorizePath}&state=bench&code_challenge=${challenge}&code_challenge_method=S256`;
  const page = await (await browser.request(url)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf || !requestId) throw new Error(`no consent form at ${url}: ${page.slice(0, 300)}`);
  const res = await browser.post('/oauth/consent', {
    _csrf: csrf,
    request_id: requestId,
    decision: 'authorize',
  });
  const code = new URL(res.headers.get('location') ?? '', browser.base).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.status} ${res.headers.get('location')}`);
  return { code, verifier };
}

/** The app's side: exchanges a code at the token endpoint; throws unless it gets a token. */
export async function exchange(base, app, { code, verifier }) {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUri,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code_verifier: verifier,
    }).toString(),
  });
  const body = await res.json();
  if (!body.access_token) throw new Error(`exchange failed: ${res.status} ${JSON.stringify(body)}`);
}

/** Runs `task` in `concurrency` loops for `seconds`; answers completions per second. */
export async function loop(concurrency, seconds, task) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      while (Date.now() < end) {
        await task(i);
        done += 1;
      }
    }),
  );
  return done / ((Date.now() - start) / 1000);
}

/** Runs `task` over `items` with `concurrency` workers; answers items per second. */
export async function drain(concurrency, items, task) {
  let next = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
  return items.length / ((Date.now() - start) / 1000);
}
