import type { FastifyReply } from 'fastify';
import { html, type SafeHtml } from '../web/html.js';
import { csrfField } from '../web/layout.js';
import type { InstallationView } from './service.js';

/** The company's installed apps: scopes, who installed each and when, and Uninstall. */
export function installedAppsView(
  companyName: string,
  installations: InstallationView[],
  scopeWords: Readonly<Record<string, string>>,
  reply: FastifyReply,
): SafeHtml {
  if (installations.length === 0)
    return html`<section class="card"><p class="muted">No apps are installed in ${companyName}.</p></section>`;
  return html`${installations.map(
    (i) => html`<section class="card" aria-labelledby="ins-${i.id}">
      <h2 id="ins-${i.id}">${i.app.name}</h2>
      <p class="muted">Installed by ${i.installed_by ? `${i.installed_by.name} (${i.installed_by.email})` : 'a former member'}
        on <time datetime="${i.updated_at}">${i.updated_at.slice(0, 10)}</time></p>
      <p>It may:</p>
      <ul>${i.scopes.map((s) => html`<li>${scopeWords[s] ?? s} <code>${s}</code></li>`)}</ul>
      <form method="post" action="/installed-apps/${i.id}/uninstall">${csrfField(reply)}
        <button type="submit" class="danger">Uninstall ${i.app.name}</button>
        <p class="hint">Its access is revoked at once.</p></form>
    </section>`,
  )}`;
}
