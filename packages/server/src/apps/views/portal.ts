import { html, type SafeHtml } from '../../web/html.js';
import type { AppView } from '../service.js';
import { appPath } from './app-page.js';
import { statusBadge } from './fields.js';

/** "Built by you": the company's apps with their status. */
export function builtByYou(apps: AppView[]): SafeHtml {
  return html`<section class="card" aria-labelledby="built-h">
    <h2 id="built-h">Built by you</h2>
    ${
      apps.length === 0
        ? html`<p class="muted">No apps yet.</p>`
        : html`<table><thead><tr><th>App</th><th>Status</th><th class="hide-narrow">Scopes</th></tr></thead><tbody>
      ${apps.map((a) => html`<tr><td><a href="${appPath(a.id)}">${a.name}</a></td><td>${statusBadge(a.status)}</td><td class="hide-narrow">${a.scopes.join(', ')}</td></tr>`)}
    </tbody></table>`
    }
    <div class="actions"><a class="button" href="/developer/apps/new">Create app</a></div>
  </section>`;
}
