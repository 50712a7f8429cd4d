import type { AuditEvent } from '../../db/schema.js';
import { html, type SafeHtml } from '../../web/html.js';

/** An app's audit actions in words: the developer's audit log and the admin's status history. */
export const APP_ACTION_LABELS: Record<string, string> = {
  'app.created': 'App created',
  'app.updated': 'Settings changed',
  'app.distribution_enabled': 'Distribution enabled',
  'app.client_secret_regenerated': 'Client secret regenerated',
  'app.api_key_regenerated': 'API key regenerated',
  'app.previous_client_secret_ended': 'Previous client secret ended',
  'app.deleted': 'App deleted',
  'app.webhook_secret_revealed': 'Webhook signing secret revealed',
  'app.webhook_secret_rotated': 'Webhook signing secret rotated',
  'app.suspended': "Suspended by the platform's admins",
  'app.unsuspended': "Suspension lifted by the platform's admins",
  'app.listing_draft_saved': 'Listing draft saved',
  'app.review_submitted': 'Submitted for review',
  'app.review_withdrawn': 'Review withdrawn',
  'app.review_approved': 'Review approved: published',
  'app.review_rejected': 'Review rejected',
};

/** An email that may wrap before its @ (and, if it must, anywhere) on a narrow screen. */
function breakable(email: string): SafeHtml {
  const at = email.indexOf('@');
  return at > 0 ? html`${email.slice(0, at)}<wbr>${email.slice(at)}` : html`${email}`;
}

/** An app's audit log: when, what and who, newest first. */
export function auditTable(events: AuditEvent[]): SafeHtml {
  if (events.length === 0) return html`<p class="muted">Nothing recorded yet.</p>`;
  return html`<table class="stack"><thead><tr><th>When (UTC)</th><th>What</th><th>Who</th></tr></thead><tbody>
    ${events.map(
      (
        e,
      ) => html`<tr><td><time datetime="${e.created_at}"><span class="nowrap">${e.created_at.slice(0, 10)}</span> <span class="nowrap">${e.created_at.slice(11, 19)}</span></time></td>
        <td>${APP_ACTION_LABELS[e.action] ?? e.action}</td><td class="email">${breakable(e.actor)}</td></tr>`,
    )}</tbody></table>`;
}
