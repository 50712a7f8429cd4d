import { html, type SafeHtml } from '../../web/html.js';

/** A tab's content: one card, its form refused or not. */
export function card(id: string, title: string, body: SafeHtml, extra = ''): SafeHtml {
  return html`<section class="card${extra}" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${body}</section>`;
}
