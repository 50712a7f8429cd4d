import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  discover,
  exchangeCode,
  handleCallback,
  IssuerMismatchError,
  installUrl,
  OAuthError,
  PorterApiError,
  PorterClient,
  StateMismatchError,
  type TokenSet,
} from '@porter/sdk';
import { Store } from './store.js';
import { dashboardView, declinedView, homeView, layout, problemView, reinstallView } from './views.js';

/** What the example app needs: Porter, the app's credentials, where it listens and stores. */
export interface ExampleOptions {
  porterUrl: string;
  clientId: string;
  clientSecret: string;
  /** The app's public URL; its `/oauth/callback` must be a registered redirect URL. */
  publicUrl: string;
  port: number;
  /** Interface to listen on (default 127.0.0.1 when publicUrl is local, else all). */
  host?: string;
  dbPath: string;
  appName?: string;
}

const COOKIE = 'partner_sid';
const INSTALL_SECONDS = 600;
const stylesheet = readFileSync(new URL('../public/style.css', import.meta.url));

type Handler = (req: IncomingMessage, res: ServerResponse, sid: string) => Promise<void>;

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === name && v && /^[A-Za-z0-9_-]{43}$/.test(v)) return v;
  }
  return undefined;
}

/** What every handler shares: the options, the store, and how to answer. */
interface AppContext {
  o: ExampleOptions;
  store: Store;
  appName: string;
  publicUrl: string;
  redirectUri: string;
  /** Porter's issuer, from its metadata (RFC 8414), fetched once. */
  porterIssuer: () => Promise<string>;
  send(res: ServerResponse, status: number, title: string, body: Parameters<typeof layout>[2]): void;
  redirect(res: ServerResponse, to: string): void;
}

function context(o: ExampleOptions, store: Store): AppContext {
  const appName = o.appName ?? 'Acme Sync';
  const publicUrl = o.publicUrl.replace(/\/+$/, '');
  let issuer: Promise<string> | undefined;
  return {
    o,
    store,
    appName,
    publicUrl,
    redirectUri: `${publicUrl}/oauth/callback`,
    // RFC 9207: the callback's iss must be Porter's issuer, as its metadata (RFC 8414) says.
    porterIssuer: () => {
      issuer ??= discover(o.porterUrl).then(
        (m) => m.issuer,
        (err: unknown) => {
          issuer = undefined;
          throw err;
        },
      );
      return issuer;
    },
    send: (res, status, title, body) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(layout(title, appName, body));
    },
    redirect: (res, to) => {
      res.writeHead(303, { location: to }).end();
    },
  };
}

/** The install: start it with state and PKCE, then the callback that checks and exchanges. */
function installHandlers(ctx: AppContext) {
  const { o, store, appName, redirectUri, porterIssuer, send, redirect } = ctx;
  const install: Handler = async (_req, res, sid) => {
    const started = installUrl({ porterUrl: o.porterUrl, clientId: o.clientId, redirectUri, scopes: [] });
    store.startInstall(sid, started.state, started.codeVerifier, INSTALL_SECONDS);
    redirect(res, started.url);
  };

  const callback: Handler = async (req, res, sid) => {
    const session = store.session(sid);
    if (!session?.state || !session.verifier || session.pendingUntil < Date.now())
      return send(
        res,
        400,
        'Install expired',
        problemView('This install has expired', 'Start the install again from this app.'),
      );
    const pending = { state: session.state, verifier: session.verifier };
    store.endInstall(sid);
    let tokens: TokenSet;
    try {
      const checks = { expectedState: pending.state, expectedIssuer: await porterIssuer() };
      const { code } = handleCallback(req.url ?? '', checks);
      tokens = await exchangeCode({ ...o, code, redirectUri, codeVerifier: pending.verifier });
    } catch (err) {
      if (err instanceof OAuthError && err.code === 'access_denied')
        return send(res, 200, 'Declined', declinedView(appName));
      const refused =
        err instanceof OAuthError || err instanceof StateMismatchError || err instanceof IssuerMismatchError;
      if (refused)
        return send(res, 400, 'Install failed', problemView('The install did not work', err.message));
      throw err;
    }
    const { company } = tokens.installation;
    store.saveInstall({
      companyId: company.id,
      companyName: company.name,
      accessToken: tokens.accessToken,
      scopes: tokens.scopes,
      apiBaseUrl: tokens.installation.api_base_url,
    });
    store.endInstall(sid, company.id);
    redirect(res, '/dashboard');
  };
  return { install, callback };
}

/** The installed company's pages: home, the dashboard with /v1/me, and Sync data. */
function companyHandlers(ctx: AppContext) {
  const { store, appName, send, redirect } = ctx;
  /** The company this browser installed into, with its token; undefined sends it home. */
  const installOf = (sid: string) => {
    const companyId = store.session(sid)?.companyId;
    return companyId ? store.findInstall(companyId) : undefined;
  };

  const dashboard: Handler = async (_req, res, sid) => {
    const found = installOf(sid);
    if (!found) return redirect(res, '/');
    if (!found.accessToken) return send(res, 200, 'Reinstall', reinstallView(appName, found.companyName));
    let me: Awaited<ReturnType<PorterClient['me']>>;
    try {
      me = await new PorterClient(found.apiBaseUrl, found.accessToken).me();
    } catch (err) {
      if (!(err instanceof PorterApiError && err.status === 401)) throw err;
      store.dropToken(found.companyId);
      return send(res, 200, 'Reinstall', reinstallView(appName, found.companyName));
    }
    const flash = store.session(sid)?.flash ?? undefined;
    if (flash) store.setFlash(sid, null);
    const view = dashboardView({
      companyName: me.company.name,
      companyId: me.company.id,
      scopes: me.scopes,
      installedBy: me.installation?.installed_by?.name,
      flash: flash ? (JSON.parse(flash) as { ok: boolean; text: string }) : undefined,
    });
    send(res, 200, me.company.name, view);
  };

  const sync: Handler = async (_req, res, sid) => {
    const found = installOf(sid);
    if (!found?.accessToken) return redirect(res, found ? '/dashboard' : '/');
    const client = new PorterClient(found.apiBaseUrl, found.accessToken);
    let flash: { ok: boolean; text: string };
    try {
      const event = await client.recordCustomEvent({
        type: 'Data Synced',
        user: { external_id: 'partner-app-demo' },
        properties: { source: 'partner-app', at: new Date().toISOString() },
      });
      flash = { ok: true, text: `Synced: Porter recorded event ${event.id}.` };
    } catch (err) {
      if (!(err instanceof PorterApiError)) throw err;
      if (err.status === 401) store.dropToken(found.companyId);
      flash = { ok: false, text: `Porter refused the sync: ${err.message} (${err.code})` };
    }
    store.setFlash(sid, JSON.stringify(flash));
    redirect(res, '/dashboard');
  };

  const home: Handler = async (_req, res, sid) => {
    if (installOf(sid)) return redirect(res, '/dashboard');
    send(res, 200, 'Home', homeView(appName));
  };
  return { home, dashboard, sync };
}

/** The HTTP server: security headers, the stylesheet, the session cookie, one handler per route. */
function appServer(ctx: AppContext, routes: Record<string, Handler>) {
  const { o, publicUrl, send } = ctx;
  const secure = publicUrl.startsWith('https:');
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', publicUrl).pathname;
    res.setHeader(
      'content-security-policy',
      // The install form's redirect goes to Porter: form-action must allow it (Chromium checks redirects).
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${new URL(o.porterUrl).origin}; frame-ancestors 'none'; base-uri 'none'`,
    );
    // Not no-referrer: with it Chromium sends `Origin: null` on the app's own form posts.
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.method === 'GET' && path === '/style.css') {
      res.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'max-age=300' }).end(stylesheet);
      return;
    }
    if (req.method === 'GET' && path === '/favicon.ico') return void res.writeHead(204).end();
    const handler = routes[`${req.method} ${path}`];
    if (!handler) return send(res, 404, 'Not found', problemView('Not found', 'There is no page here.'));
    // A POST from another site is refused (the SameSite=Lax cookie would not come with it anyway).
    const origin = req.headers.origin;
    if (req.method === 'POST' && origin !== undefined && origin !== new URL(publicUrl).origin)
      return send(res, 403, 'Refused', problemView('Refused', 'This form was sent from another site.'));
    let sid = cookieOf(req, COOKIE);
    if (!sid) {
      sid = randomBytes(32).toString('base64url');
      res.setHeader(
        'set-cookie',
        `${COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${30 * 86400}${secure ? '; Secure' : ''}`,
      );
    }
    handler(req, res, sid).catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent)
        send(
          res,
          502,
          'Porter unreachable',
          problemView(
            'Something went wrong',
            'Porter could not be reached or answered oddly. Try again in a moment.',
          ),
        );
    });
  });
}

/** Starts the partner app; answers its URL and how to stop it. */
export async function startExampleApp(o: ExampleOptions): Promise<{ url: string; close(): Promise<void> }> {
  const store = new Store(o.dbPath);
  const ctx = context(o, store);
  const { publicUrl } = ctx;
  const { install, callback } = installHandlers(ctx);
  const { home, dashboard, sync } = companyHandlers(ctx);
  const routes: Record<string, Handler> = {
    'GET /': home,
    'POST /install': install,
    // The app's Install URL for Porter's marketplace: a link there starts the install here, with
    // this browser's own state and PKCE, so the callback can check them (RFC 6749 §10.12).
    'GET /install': install,
    'GET /oauth/callback': callback,
    'GET /dashboard': dashboard,
    'POST /sync': sync,
  };
  const server = appServer(ctx, routes);
  const host =
    o.host ?? (/^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(`${publicUrl}/`) ? '127.0.0.1' : undefined);
  await new Promise<void>((resolve) => server.listen(o.port, host, resolve));
  return {
    url: publicUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
