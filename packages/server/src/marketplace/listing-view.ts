import { html, type SafeHtml } from '../web/html.js';
import type { AppListing } from './service.js';
import { browseUrl, installsText } from './views.js';

/** What the viewer may do about installing: who they are and where it is installed already. */
export interface InstallContext {
  signedIn: boolean;
  /** An admin's preview of a submission: no breadcrumbs, no Install button, headings one level down. */
  preview?: boolean;
  /** The viewer's active company, when it has the app installed. */
  installedIn: string | undefined;
}

const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

const webUrl = (url: string) => /^https?:\/\//i.test(url);

function installBox(app: AppListing, ctx: InstallContext): SafeHtml {
  if (ctx.preview)
    return app.appInstallUrl
      ? html`<p class="hint email" id="install-preview">Customers see the Install button here. It leads to the app's install page: <a href="${app.appInstallUrl}" rel="noopener noreferrer">${app.appInstallUrl}</a></p>`
      : html`<p class="hint" id="install-preview">Customers see the Install button here. It leads to the app's distribution URL (no install URL given).</p>`;
  if (!app.installUrl)
    return html`<p class="alert" role="status">${app.name} cannot be installed right now.</p>`;
  const installed = ctx.installedIn
    ? html`<p class="notice" role="status" id="installed-note">Installed in ${ctx.installedIn}. <a href="/installed-apps">See your installed apps</a>. Installing again lets you review what it may do and authorize it again.</p>`
    : '';
  const choose = ctx.signedIn
    ? 'You choose the company to install into and review what it may do before anything is granted.'
    : 'You sign in, choose your company and review what it may do before anything is granted.';
  // The app's own install page starts the install and sends the customer on to Porter.
  const hint =
    app.appInstallUrl && app.installUrl === app.appInstallUrl
      ? `Install opens ${app.name}'s site first, which sends you on to Porter. ${choose}`
      : choose;
  return html`<div class="install">${installed}
    <a class="button" href="${app.installUrl}">${ctx.installedIn ? 'Install again' : 'Install'}<span class="visually-hidden"> ${app.name}</span></a>
    <p class="hint">${hint}</p></div>`;
}

function screenshots(app: AppListing): SafeHtml {
  if (app.screenshotUrls.length === 0) return html``;
  const n = app.screenshotUrls.length;
  return html`<section class="card" aria-labelledby="shots-h"><h2 id="shots-h">Screenshots</h2>
    <ul class="gallery">${app.screenshotUrls.map(
      (url, i) =>
        html`<li><a href="${url}"><img src="${url}" alt="Screenshot ${i + 1} of ${n} of ${app.name}" loading="lazy"></a></li>`,
    )}</ul></section>`;
}

function support(app: AppListing): SafeHtml {
  return html`<section class="card" aria-labelledby="support-h"><h2 id="support-h">Developer and support</h2>
    <dl><dt>Developer</dt><dd>${app.developer}</dd>
      <dt>Support</dt><dd class="email"><a href="mailto:${app.supportEmail}">${app.supportEmail}</a></dd>
      <dt>Privacy policy</dt><dd class="email">${webUrl(app.privacyUrl) ? html`<a href="${app.privacyUrl}" rel="noopener noreferrer">${app.privacyUrl}</a>` : app.privacyUrl}</dd>
      <dt>Published</dt><dd>${day(app.publishedAt)}</dd></dl></section>`;
}

/** A published app's public page: listing, scopes in plain words, screenshots, Install (or an admin's preview of it). */
export function listingView(app: AppListing, ctx: InstallContext): SafeHtml {
  const name = ctx.preview ? html`<h2 id="app-h">${app.name}</h2>` : html`<h1 id="app-h">${app.name}</h1>`;
  const crumbs = ctx.preview
    ? ''
    : html`<p class="crumbs"><a href="/marketplace">Marketplace</a> › <a href="${browseUrl({ category: app.category })}">${app.categoryLabel}</a></p>`;
  return html`${crumbs}
    <section class="card listing-head" aria-labelledby="app-h">
      <div class="app-head"><img src="${app.iconUrl}" alt="" width="72" height="72">
        <div>${name}<p class="muted">by ${app.developer}</p></div></div>
      <p class="tagline">${app.tagline}</p>
      <p class="meta"><span class="badge">${app.categoryLabel}</span> <span>${installsText(app.installCount)}</span> <span class="muted">Published ${day(app.publishedAt)}</span></p>
      ${installBox(app, ctx)}
    </section>
    <section class="card" aria-labelledby="about-h"><h2 id="about-h">About ${app.name}</h2>
      <div class="description">${app.description}</div></section>
    ${screenshots(app)}
    <section class="card" aria-labelledby="scopes-h"><h2 id="scopes-h">What ${app.name} may do in your company</h2>
      <ul class="scopes">${app.scopes.map((s) => html`<li>${s.words} <code>${s.name}</code></li>`)}</ul>
      <p class="hint">It also learns your company's name and region, and the name and email of the person who installs it. You can uninstall it at any time from Installed apps.</p></section>
    ${support(app)}`;
}
