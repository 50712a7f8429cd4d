import type { FastifyReply } from 'fastify';
import type { Flash } from '../accounts/flash.js';
import { errorSummary, textField } from '../web/fields.js';
import { formState } from '../web/forms.js';
import { html, type SafeHtml } from '../web/html.js';
import { lastUsed } from '../web/last-used.js';
import { csrfField } from '../web/layout.js';

export const TOKEN_FORM_ID = 'token-form';

/** The viewer's developer tokens for the active company, and the form for a new one. */
export function tokensSection(
  tokens: { id: string; name: string | null; created_at: string; last_used_at: string | null }[],
  reply: FastifyReply,
  flash: Flash | undefined,
): SafeHtml {
  const form = formState(flash, TOKEN_FORM_ID);
  const rows = tokens.map(
    (
      t,
    ) => html`<tr><td>${t.name}</td><td class="nowrap hide-narrow">${t.created_at.slice(0, 10)}</td><td>${lastUsed(t.last_used_at)}</td><td>
      <form method="post" action="/developer/tokens/${t.id}/revoke">${csrfField(reply)}<button type="submit" class="link">Revoke<span class="visually-hidden"> ${t.name}</span></button></form></td></tr>`,
  );
  return html`<section class="card" id="${TOKEN_FORM_ID}" aria-labelledby="tokens-h"><h2 id="tokens-h">Developer tokens</h2>
    <p>A developer token lets a script use the <a href="/docs">developer API</a> as you, for this company.</p>
    ${tokens.length ? html`<table><thead><tr><th>Name</th><th class="hide-narrow">Created</th><th>Last used</th><th><span class="visually-hidden">Action</span></th></tr></thead><tbody>${rows}</tbody></table>` : ''}
    ${errorSummary(form)}
    <form method="post" action="/developer/tokens">${csrfField(reply)}
      ${textField({ name: 'token_name', label: 'Token name', value: form.values?.token_name ?? '', errors: form.errors, required: true, hint: 'What it is for, such as "CI deploy".' })}
      <div class="actions"><button type="submit" class="secondary">Create developer token</button></div></form></section>`;
}
