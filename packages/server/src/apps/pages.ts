import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountsService } from '../accounts/service.js';
import type { Actor } from '../audit/service.js';
import type { Config } from '../config.js';
import type { CredentialsService } from '../credentials/service.js';
import { ForbiddenError, ValidationError } from '../lib/errors.js';
import { html, type SafeHtml } from '../web/html.js';
import { csrfField, sendPage } from '../web/layout.js';
import { requireSignIn, type Viewer, viewerOf } from '../web/viewer.js';
import type { AppsService, AppView } from './service.js';
import {
  appSettingsFields,
  auditTable,
  type FieldErrors,
  linesField,
  secretBox,
  statusBadge,
  textField,
} from './views.js';

interface Deps {
  config: Config;
  apps: AppsService;
  accounts: AccountsService;
  credentials: CredentialsService;
}

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  saved: 'Settings saved.',
  deleted: 'The app was deleted and every token it issued was revoked.',
  test_company: 'Test company created. Switch to it from the header to test installs of your apps.',
  token_revoked: 'Developer token revoked.',
};

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const lines = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const form = (request: FastifyRequest): Form =>
  request.body && typeof request.body === 'object' ? (request.body as Form) : {};

/** What the settings form posts, as the apps service takes it (an empty URL field means none). */
function appInput(body: Form) {
  return {
    name: str(body.name) ?? '',
    description: str(body.description) ?? '',
    scopes: list(body.scopes),
    redirect_urls: lines(body.redirect_urls),
    allowed_origins: lines(body.allowed_origins),
    homepage_url: str(body.homepage_url) ?? '',
    logo_url: str(body.logo_url) ?? '',
    webhook_url: str(body.webhook_url) ?? '',
    // biome-ignore lint/suspicious/noExplicitAny: the service validates every field
  } as any;
}

function context(request: FastifyRequest): { viewer: Viewer; actor: Actor; companyId: string } {
  const viewer = viewerOf(request);
  if (!viewer.company) throw new ForbiddenError('Join or create a company first.');
  const actor: Actor = { kind: 'user', userId: viewer.session.user.id, label: viewer.session.user.email };
  return { viewer, actor, companyId: viewer.company.id };
}

function notice(request: FastifyRequest): SafeHtml {
  const key = str((request.query as Form).notice);
  const text = key && Object.hasOwn(NOTICES, key) ? NOTICES[key] : undefined;
  return text ? html`<div class="notice" role="status">${text}</div>` : html``;
}

/** The developer portal: "Built by you", app pages, test companies and developer tokens. */
export function portalRoutes(app: FastifyInstance, { config, apps, accounts, credentials }: Deps) {
  const guard = { preHandler: requireSignIn };

  async function appPage(
    request: FastifyRequest,
    reply: FastifyReply,
    view: AppView,
    opts: {
      errors?: FieldErrors;
      section?: string;
      secret?: SafeHtml;
      status?: number;
      values?: Partial<AppView>;
    } = {},
  ) {
    const { actor, companyId } = context(request);
    const events = await apps.auditLog(actor, companyId, view.id);
    const errors = opts.errors ?? {};
    const on = (section: string) => (opts.section === section ? errors : {});
    const base = `/developer/apps/${view.id}`;
    return sendPage(request, reply, {
      title: view.name,
      status: opts.status,
      body: html`<p><a href="/developer">← Built by you</a></p>
      <h1>${view.name} ${statusBadge(view.status)}</h1>
      ${notice(request)}
      ${opts.secret ? html`<section class="card" aria-label="New credential">${opts.secret}</section>` : ''}
      <nav class="tabs" aria-label="App sections"><a href="#settings">Settings</a><a href="#api-key">API key</a>
        <a href="#distribution">Manage Distribution</a><a href="#audit">Audit log</a><a href="#danger">Danger zone</a></nav>

      <section class="card" id="settings" aria-labelledby="settings-h"><h2 id="settings-h">Settings</h2>
        <form method="post" action="${base}/settings">${csrfField(reply)}
          ${appSettingsFields(config.scopes, { ...view, ...opts.values }, on('settings'))}
          <div class="actions"><button type="submit">Save settings</button></div>
        </form></section>

      <section class="card" id="api-key" aria-labelledby="api-key-h"><h2 id="api-key-h">API key</h2>
        <p>Use the API key as <code>Authorization: Bearer …</code> to call the API for ${view.name}'s own company, with the app's scopes.
        Check it with <code>GET /v1/me</code>.</p>
        <form method="post" action="${base}/api-key">${csrfField(reply)}
          <button type="submit" class="secondary">Regenerate API key</button>
          <p class="hint">The current key stops working at once.</p></form></section>

      <section class="card" id="distribution" aria-labelledby="dist-h"><h2 id="dist-h">Manage Distribution</h2>
        ${view.client_id ? distributed(view, base, reply) : notDistributed(view, base, reply, on('distribution'))}</section>

      <section class="card" id="audit" aria-labelledby="audit-h"><h2 id="audit-h">Audit log</h2>${auditTable(events)}</section>

      <section class="card danger-zone" id="danger" aria-labelledby="danger-h"><h2 id="danger-h">Danger zone</h2>
        <form method="post" action="${base}/delete">${csrfField(reply)}
          <p>Deleting the app revokes its API key and every install and token it issued. This cannot be undone.</p>
          ${textField({ name: 'confirm_name', label: `Type ${view.name} to confirm`, value: '', errors: on('delete'), required: true })}
          <div class="actions"><button type="submit" class="danger">Delete app</button></div>
        </form></section>`,
    });
  }

  function notDistributed(view: AppView, base: string, reply: FastifyReply, errors: FieldErrors): SafeHtml {
    return html`<p>Share the app with other companies: enter where Porter sends users after they authorize it, and
      generate the client ID, client secret and distribution URL. The app becomes <strong>Unlisted</strong>.</p>
      <form method="post" action="${base}/distribution">${csrfField(reply)}
        ${linesField({
          name: 'redirect_urls',
          id: 'distribution_redirect_urls',
          label: 'Redirect URLs',
          lines: view.redirect_urls,
          errors,
          hint: 'One per line. The first one goes into the distribution URL.',
        })}
        <div class="actions"><button type="submit">Generate Credentials</button></div>
      </form>`;
  }

  function distributed(view: AppView, base: string, reply: FastifyReply): SafeHtml {
    return html`<dl>
        <dt>Client ID</dt><dd><code id="client-id">${view.client_id}</code> <button type="button" class="secondary" data-copy="client-id" hidden>Copy</button></dd>
        <dt>Client secret</dt><dd>Shown once when generated. Regenerate it if it was lost or leaked.</dd>
        <dt>Distribution URL</dt><dd><code id="distribution-url">${view.distribution_url}</code>
          <button type="button" class="secondary" data-copy="distribution-url" hidden>Copy</button></dd>
        <dt>Redirect URLs</dt><dd><ul>${view.redirect_urls.map((u) => html`<li><code>${u}</code></li>`)}</ul></dd>
      </dl>
      <form method="post" action="${base}/client-secret">${csrfField(reply)}
        <label class="check"><input type="checkbox" name="confirm" value="yes" required> I understand the current client secret stops working at once</label>
        <div class="actions"><button type="submit" class="secondary">Regenerate Client Secret</button></div>
      </form>`;
  }

  async function loadApp(request: FastifyRequest) {
    const { actor, companyId } = context(request);
    const id = str((request.params as Form).id) ?? '';
    return { actor, companyId, view: await apps.get(actor, companyId, id) };
  }

  app.get('/developer', guard, async (request, reply) => {
    const { viewer, actor, companyId } = context(request);
    let body: SafeHtml;
    try {
      const list = await apps.list(actor, companyId);
      const tokens = await credentials.listPersonalTokens(
        actor.kind === 'user' ? actor.userId : '',
        companyId,
      );
      body = html`<section class="card" aria-labelledby="built-h">
          <h2 id="built-h">Built by you</h2>
          ${
            list.length === 0
              ? html`<p class="muted">No apps yet.</p>`
              : html`<table><thead><tr><th>App</th><th>Status</th><th class="hide-narrow">Scopes</th></tr></thead><tbody>
            ${list.map((a) => html`<tr><td><a href="/developer/apps/${a.id}">${a.name}</a></td><td>${statusBadge(a.status)}</td><td class="hide-narrow">${a.scopes.join(', ')}</td></tr>`)}
          </tbody></table>`
          }
          <div class="actions"><a class="button" href="/developer/apps/new">Create app</a></div>
        </section>
        ${tokensSection(tokens, reply)}`;
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      body = html`<section class="card"><p>${err.message}</p></section>`;
    }
    return sendPage(request, reply, {
      title: 'Developer portal',
      body: html`<h1>Developer portal <span class="muted">· ${viewer.company?.name}</span></h1>${notice(request)}${body}
        ${testCompaniesSection(viewer, reply)}`,
    });
  });

  function tokensSection(
    tokens: { id: string; name: string | null; created_at: string }[],
    reply: FastifyReply,
  ): SafeHtml {
    return html`<section class="card" aria-labelledby="tokens-h"><h2 id="tokens-h">Developer tokens</h2>
      <p>A developer token lets a script use the <a href="/docs">developer API</a> as you, for this company.</p>
      ${
        tokens.length
          ? html`<table><tbody>${tokens.map(
              (t) => html`<tr><td>${t.name}</td><td class="hide-narrow">${t.created_at.slice(0, 10)}</td><td>
        <form method="post" action="/developer/tokens/${t.id}/revoke">${csrfField(reply)}<button type="submit" class="link">Revoke</button></form></td></tr>`,
            )}</tbody></table>`
          : ''
      }
      <form method="post" action="/developer/tokens">${csrfField(reply)}
        ${textField({ name: 'token_name', label: 'Token name', value: '', errors: {}, required: true, hint: 'What it is for, such as "CI deploy".' })}
        <div class="actions"><button type="submit" class="secondary">Create developer token</button></div></form></section>`;
  }

  function testCompaniesSection(viewer: Viewer, reply: FastifyReply): SafeHtml {
    const tests = viewer.companies.filter((c) => c.is_test === 1);
    return html`<section class="card" aria-labelledby="test-h"><h2 id="test-h">Test companies</h2>
      <p>Install your apps into a test company to try the whole flow. You own the test companies you create.</p>
      ${tests.length ? html`<ul>${tests.map((c) => html`<li>${c.name} <span class="badge test">Test</span></li>`)}</ul>` : ''}
      <form method="post" action="/developer/test-companies">${csrfField(reply)}
        ${textField({ name: 'company_name', label: 'Test company name', value: `${viewer.company?.name ?? 'My'} Test`, errors: {}, required: true })}
        <div class="actions"><button type="submit" class="secondary">Create test company</button></div></form></section>`;
  }

  function newAppPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Partial<AppView>,
    errors: FieldErrors,
    status?: number,
  ) {
    return sendPage(request, reply, {
      title: 'Create app',
      status,
      body: html`<p><a href="/developer">← Built by you</a></p><h1>Create app</h1>
        ${Object.keys(errors).length ? html`<div class="alert" role="alert">Some fields need attention.</div>` : ''}
        <section class="card"><form method="post" action="/developer/apps">${csrfField(reply)}
          ${appSettingsFields(config.scopes, values, errors)}
          <div class="actions"><button type="submit">Create app</button></div></form></section>`,
    });
  }

  app.get('/developer/apps/new', guard, async (request, reply) => {
    context(request);
    return newAppPage(request, reply, {}, {});
  });

  app.post('/developer/apps', guard, async (request, reply) => {
    const { actor, companyId } = context(request);
    const input = appInput(form(request));
    try {
      const { app: created, apiKey } = await apps.create(actor, companyId, input);
      return appPage(request, reply, created, {
        secret: html`<h2>App created</h2>${secretBox('api-key-value', 'API key', apiKey)}`,
        status: 201,
      });
    } catch (err) {
      if (err instanceof ValidationError) return newAppPage(request, reply, input, err.fields, 400);
      throw err;
    }
  });

  app.get('/developer/apps/:id', guard, async (request, reply) =>
    appPage(request, reply, (await loadApp(request)).view),
  );

  app.post('/developer/apps/:id/settings', guard, async (request, reply) => {
    const { actor, companyId, view } = await loadApp(request);
    const input = appInput(form(request));
    try {
      await apps.update(actor, companyId, view.id, input);
      return reply.redirect(`/developer/apps/${view.id}?notice=saved`, 303);
    } catch (err) {
      if (err instanceof ValidationError)
        return appPage(request, reply, view, {
          errors: err.fields,
          section: 'settings',
          values: input,
          status: 400,
        });
      throw err;
    }
  });

  app.post('/developer/apps/:id/api-key', guard, async (request, reply) => {
    const { actor, companyId, view } = await loadApp(request);
    const { apiKey } = await apps.regenerateApiKey(actor, companyId, view.id);
    return appPage(request, reply, view, { secret: secretBox('api-key-value', 'New API key', apiKey) });
  });

  app.post('/developer/apps/:id/distribution', guard, async (request, reply) => {
    const { actor, companyId, view } = await loadApp(request);
    try {
      const { app: updated, clientSecret } = await apps.enableDistribution(actor, companyId, view.id, {
        redirect_urls: lines(form(request).redirect_urls),
      });
      return appPage(request, reply, updated, {
        secret: html`<h2>Distribution enabled</h2>
          <p>Client ID: <code>${updated.client_id}</code></p>
          ${secretBox('client-secret-value', 'Client secret', clientSecret)}
          <p>Distribution URL: <code>${updated.distribution_url}</code></p>`,
      });
    } catch (err) {
      if (err instanceof ValidationError)
        return appPage(request, reply, view, { errors: err.fields, section: 'distribution', status: 400 });
      throw err;
    }
  });

  app.post('/developer/apps/:id/client-secret', guard, async (request, reply) => {
    const { actor, companyId, view } = await loadApp(request);
    if (form(request).confirm !== 'yes')
      throw new ValidationError({ confirm: 'confirm that the current secret stops working' });
    const { clientSecret } = await apps.regenerateClientSecret(actor, companyId, view.id);
    return appPage(request, reply, view, {
      secret: secretBox('client-secret-value', 'New client secret', clientSecret),
    });
  });

  app.post('/developer/apps/:id/delete', guard, async (request, reply) => {
    const { actor, companyId, view } = await loadApp(request);
    try {
      await apps.delete(actor, companyId, view.id, str(form(request).confirm_name) ?? '');
      return reply.redirect('/developer?notice=deleted', 303);
    } catch (err) {
      if (err instanceof ValidationError) {
        return appPage(request, reply, view, {
          errors: { confirm_name: err.fields.confirm_name ?? 'does not match' },
          section: 'delete',
          status: 400,
        });
      }
      throw err;
    }
  });

  app.post('/developer/test-companies', guard, async (request, reply) => {
    const { actor } = context(request);
    if (actor.kind !== 'user') throw new ForbiddenError('Sign in first.');
    await accounts.createOwnedCompany(actor.userId, {
      name: str(form(request).company_name) ?? '',
      isTest: true,
    });
    return reply.redirect('/developer?notice=test_company', 303);
  });

  app.post('/developer/tokens', guard, async (request, reply) => {
    const { actor, companyId } = context(request);
    if (actor.kind !== 'user') throw new ForbiddenError('Sign in first.');
    const { token, name } = await credentials.createPersonalToken(
      actor,
      companyId,
      str(form(request).token_name) ?? '',
    );
    return sendPage(request, reply, {
      title: 'Developer token created',
      body: html`<p><a href="/developer">← Developer portal</a></p><section class="card"><h1>Developer token "${name}"</h1>
        ${secretBox('token-value', 'Token', token)}
        <p>Try it: <code>curl -H "Authorization: Bearer …" ${config.publicUrl}/developer/v1/apps</code></p></section>`,
    });
  });

  app.post('/developer/tokens/:id/revoke', guard, async (request, reply) => {
    const { actor } = context(request);
    if (actor.kind !== 'user') throw new ForbiddenError('Sign in first.');
    await credentials.revokePersonalToken(actor, str((request.params as Form).id) ?? '');
    return reply.redirect('/developer?notice=token_revoked', 303);
  });
}
