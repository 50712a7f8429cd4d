import type { FastifyReply } from 'fastify';
import type { OAuthClient } from '../apps/oauth-client.js';
import { html, type SafeHtml } from '../web/html.js';
import { csrfField } from '../web/layout.js';

/** A company the viewer could install into, as the consent page lists it. */
export interface CompanyChoice {
  id: string;
  name: string;
  isTest: boolean;
  installed: boolean;
  /** Why this company cannot be chosen (the app's own developer company, or the role). */
  refusal: string | undefined;
}

export interface ConsentPage {
  requestId: string;
  client: OAuthClient;
  developer: string;
  scopes: { name: string; words: string }[];
  companies: CompanyChoice[];
  activeCompanyId: string | undefined;
  redirectHost: string;
  alert: string | undefined;
}

function companyOption(c: CompanyChoice, checked: boolean): SafeHtml {
  const notes = [
    c.isTest ? 'test company' : '',
    c.installed ? 'already installed: authorizing again updates it' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return html`<label class="choice${c.refusal ? ' refused' : ''}"><input type="radio" name="company_id" value="${c.id}"${checked ? html` checked` : ''}${c.refusal ? html` disabled aria-describedby="why-${c.id}"` : ''}>
    <span><strong>${c.name}</strong>${notes ? html` <span class="muted">(${notes})</span>` : ''}
    ${c.refusal ? html`<span class="hint" id="why-${c.id}">${c.refusal}</span>` : ''}</span></label>`;
}

function companyChoice(p: ConsentPage): SafeHtml {
  const open = p.companies.filter((c) => !c.refusal);
  if (p.companies.length === 0 || open.length === 0) {
    const why = p.companies.map((c) => html`<li>${c.name}: ${c.refusal}</li>`);
    return html`<div class="alert" role="alert" id="no-company"><p>You cannot install ${p.client.name} into any of your companies.</p>
      ${why.length ? html`<ul>${why}</ul>` : html`<p>Only owners and admins of a company install apps. Ask an admin of your company to install it.</p>`}</div>`;
  }
  const preferred = open.find((c) => c.id === p.activeCompanyId) ?? open[0];
  return html`<fieldset><legend>Install into</legend>${p.companies.map((c) => companyOption(c, c === preferred))}</fieldset>`;
}

/** The consent page: the app, its developer, every scope in plain words, the company, Authorize or Decline. */
export function consentView(reply: FastifyReply, p: ConsentPage): SafeHtml {
  const canInstall = p.companies.some((c) => !c.refusal);
  return html`<div class="card consent">
    <div class="app-head">${p.client.logoUrl ? html`<img src="${p.client.logoUrl}" alt="" width="48" height="48">` : ''}
      <div><h1>${p.client.name} wants to access your company</h1>
      <p class="muted">Made by ${p.developer}</p></div></div>
    ${p.alert ? html`<div class="alert" role="alert" id="consent-error">${p.alert}</div>` : ''}
    <form method="post" action="/oauth/consent">${csrfField(reply)}
      <input type="hidden" name="request_id" value="${p.requestId}">
      ${companyChoice(p)}
      <h2>${p.client.name} will be able to</h2>
      <ul class="scopes">${p.scopes.map((s) => html`<li>${s.words} <code>${s.name}</code></li>`)}</ul>
      <p class="hint">${p.client.name} also learns your company's name and region, and your name and email as the person who installed it.
        After you answer, you go back to ${p.redirectHost}. You can uninstall the app at any time from Installed apps.</p>
      <div class="actions">
        ${canInstall ? html`<button type="submit" name="decision" value="authorize">Authorize</button>` : ''}
        <button type="submit" name="decision" value="decline" class="secondary">Decline</button>
      </div>
    </form></div>`;
}

/** After answering for an app with a custom-scheme redirect (myapp://, chrome-extension://): the window may close. */
export function handOffView(p: { appName: string; url: string; authorized: boolean }): SafeHtml {
  return html`<div class="card narrow" role="status">
    <h1>${p.authorized ? `${p.appName} has been authorized` : `You declined ${p.appName}`}</h1>
    <p>${p.appName} has received the answer. It is safe to close this window.</p>
    <p><a class="button" href="${p.url}">Return to ${p.appName}</a></p>
  </div>`;
}
