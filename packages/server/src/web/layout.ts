import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from './html.js';
import type { Viewer } from './viewer.js';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  status?: number;
  /** Extra elements for the head (a meta refresh). */
  head?: SafeHtml;
}

function companySwitcher(viewer: Viewer, csrf: string, returnTo: string): SafeHtml {
  const { company, companies } = viewer;
  return html`<details class="switcher">
    <summary data-testid="switcher"><span class="visually-hidden">Switch account. Active company: </span><span data-testid="active-company">${company ? company.name : 'No company'}</span><span aria-hidden="true"> ▾</span></summary>
    <div class="menu">
      <p class="muted">Switch account</p>
      <form method="post" action="/account/company">
        <input type="hidden" name="_csrf" value="${csrf}">
        <input type="hidden" name="return_to" value="${returnTo}">
        ${companies.map(
          (
            c,
          ) => html`<button type="submit" name="company_id" value="${c.id}" aria-current="${c.id === company?.id ? 'true' : 'false'}">
            ${c.name}${c.is_test ? html` <span class="badge test">Test</span>` : ''}
            <span class="muted">· ${c.role}</span></button>`,
        )}
      </form>
    </div>
  </details>`;
}

function header(viewer: Viewer | undefined, csrf: string, path: string): SafeHtml {
  if (!viewer) {
    const signIn = path.startsWith('/sign-in')
      ? ''
      : html`<nav aria-label="Account"><a href="/sign-in">Sign in</a></nav>`;
    return html`<header class="top"><div class="left"><a class="brand" href="/">Porter</a>
    <nav aria-label="Main"><a href="/marketplace">Marketplace</a></nav></div>${signIn}</header>`;
  }
  return html`<header class="top">
    <div class="left"><a class="brand" href="/">Porter</a>
    <nav aria-label="Main"><a href="/marketplace">Marketplace</a> <a href="/installed-apps">Installed apps</a> <a href="/developer">Developer portal</a>${
      viewer.company && viewer.company.role !== 'member' ? html` <a href="/members">Members</a>` : ''
    }${viewer.session.user.platformAdmin ? html` <a href="/admin">Admin</a>` : ''}</nav></div>
    <nav aria-label="Account">
      <a class="user" href="/account" data-testid="current-user">${viewer.session.user.name} <span class="muted">(${viewer.session.user.email})</span></a>
      ${companySwitcher(viewer, csrf, path)}
      <form method="post" action="/sign-out">
        <input type="hidden" name="_csrf" value="${csrf}">
        <button type="submit" class="secondary">Sign out</button>
      </form>
    </nav>
  </header>`;
}

/** Renders a full page with the header (user, company switcher, sign-out) and sends it. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: PageOptions) {
  // Signed out, the header has no form: no CSRF token (and no cookie) is needed.
  const csrf = request.viewer ? csrfToken(reply) : '';
  const path = request.method === 'GET' ? request.url : '/';
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Porter</title>
<link rel="stylesheet" href="/assets/porter.css">
<script src="/assets/porter.js" defer></script>
${page.head ?? ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header(request.viewer, csrf, path)}
<main id="main">
${page.body}
</main>
</body>
</html>`;
  return reply
    .status(page.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(doc.value);
}

const tokens = new WeakMap<FastifyReply, string>();

/**
 * The CSRF token of this response. Made once per response: the first token of a visitor without
 * a CSRF cookie also creates the secret cookie, and a second one would replace that secret.
 */
export function csrfToken(reply: FastifyReply): string {
  let token = tokens.get(reply);
  if (token === undefined) {
    token = reply.generateCsrf();
    tokens.set(reply, token);
  }
  return token;
}

/** The hidden CSRF field for a form in a page body. */
export function csrfField(reply: FastifyReply): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken(reply)}">`;
}
