import type { FastifyReply } from 'fastify';
import type { Flash } from '../../accounts/flash.js';
import { LISTING_LABELS } from '../../apps/listing/schemas.js';
import type { QueuedReview } from '../../apps/review/service.js';
import { card } from '../../apps/views/card.js';
import { listingView } from '../../marketplace/listing-view.js';
import { appListing } from '../../marketplace/service.js';
import { errorSummary, flashMessages, textArea } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { utcMinute } from '../../web/last-used.js';
import { csrfField } from '../../web/layout.js';
import { adminPageView } from './tabs.js';

export const reviewPath = (id: string) => `/admin/reviews/${id}`;

/** The requested scopes against the live ones: what a change adds and removes. */
export function scopeChanges(review: QueuedReview): { added: string[]; removed: string[] } {
  if (review.kind === 'first_publication') return { added: [], removed: [] };
  return {
    added: review.scopes.filter((s) => !review.live_scopes.includes(s)),
    removed: review.live_scopes.filter((s) => !review.scopes.includes(s)),
  };
}

function scopesCell(review: QueuedReview): SafeHtml {
  const { added, removed } = scopeChanges(review);
  const changed =
    review.kind === 'change'
      ? added.length + removed.length === 0
        ? html`<br><span class="muted">No scope change</span>`
        : html`${added.length ? html`<br><span class="scope-added">Adds: ${added.join(', ')}</span>` : ''}${removed.length ? html`<br><span class="scope-removed">Removes: ${removed.join(', ')}</span>` : ''}`
      : '';
  return html`${review.scopes.map((s, i) => html`${i ? ', ' : ''}<code>${s}</code>`)}${changed}`;
}

const kindLabel = (r: QueuedReview) => (r.kind === 'change' ? 'Change' : 'First publication');

function queueTable(queue: QueuedReview[]): SafeHtml {
  if (queue.length === 0) return html`<p id="queue-empty">No submissions are waiting for review.</p>`;
  return html`<table class="stack" id="review-queue"><thead><tr><th>App</th><th>Developer</th><th>Submitted</th><th>Kind</th><th>Scopes requested</th></tr></thead>
    <tbody>${queue.map(
      (
        r,
      ) => html`<tr><td data-label="App"><a href="${reviewPath(r.id)}">${r.app_name}</a></td><td data-label="Developer">${r.company_name}</td>
      <td data-label="Submitted">${utcMinute(r.submitted_at)} <span class="muted">by ${r.submitted_by}</span></td><td data-label="Kind">${kindLabel(r)}</td><td data-label="Scopes">${scopesCell(r)}</td></tr>`,
    )}</tbody></table>`;
}

function decidedTable(decided: QueuedReview[]): SafeHtml {
  if (decided.length === 0) return html`<p class="muted">Nothing decided yet.</p>`;
  return html`<table class="stack" id="reviews-decided"><thead><tr><th>App</th><th>Developer</th><th>Decision</th><th>By</th><th>Reason</th></tr></thead>
    <tbody>${decided.map(
      (
        r,
      ) => html`<tr><td data-label="App"><a href="${reviewPath(r.id)}">${r.app_name}</a></td><td data-label="Developer">${r.company_name}</td>
      <td data-label="Decision">${r.status === 'approved' ? 'Approved' : 'Rejected'} <span class="muted">${r.decided_at ? utcMinute(r.decided_at) : ''}</span></td>
      <td data-label="By" class="email">${r.decided_by ?? ''}</td><td data-label="Reason" class="reason">${r.reason ?? '—'}</td></tr>`,
    )}</tbody></table>`;
}

/** The review queue: pending submissions oldest first, then the latest decisions. */
export function reviewQueueView(p: {
  queue: QueuedReview[];
  decided: QueuedReview[];
  flash: Flash | undefined;
}): SafeHtml {
  return adminPageView(
    'reviews',
    html`${flashMessages(p.flash)}
    ${card('queue', `Waiting for review (${p.queue.length})`, queueTable(p.queue))}
    ${card('decided', 'Recently decided', decidedTable(p.decided))}`,
  );
}

function decisionForms(review: QueuedReview, reply: FastifyReply, flash: Flash | undefined): SafeHtml {
  if (review.status !== 'pending') {
    const decided = review.decided_at ? utcMinute(review.decided_at) : '';
    return html`<p id="decision">${review.status === 'approved' ? 'Approved' : review.status === 'rejected' ? 'Rejected' : 'Withdrawn'} ${decided ? `on ${decided}` : ''} by ${review.decided_by ?? ''}.</p>
      ${review.reason ? html`<blockquote class="reason">${review.reason}</blockquote>` : ''}`;
  }
  const form = formState(flash, 'reject-form');
  return html`${errorSummary(form, LISTING_LABELS)}
    <form method="post" action="${reviewPath(review.id)}/approve">${csrfField(reply)}
      <p>${review.kind === 'change' ? 'Approving makes this listing live and gives the app these scopes; existing installations keep theirs until the customer installs again.' : 'Approving publishes the app in the marketplace.'}</p>
      <div class="actions"><button type="submit">Approve</button></div></form>
    <form method="post" action="${reviewPath(review.id)}/reject">${csrfField(reply)}
      ${textArea({ name: 'reason', label: 'Reason for rejection', value: form.values?.reason, errors: form.errors, hint: 'The developer reads this: say what to fix. At most 2000 characters.' })}
      <div class="actions"><button type="submit" class="danger">Reject</button></div></form>`;
}

/** The submitted listing as the marketplace's app page will show it once approved. */
function preview(review: QueuedReview, registry: Readonly<Record<string, string>>) {
  return appListing(
    {
      ...review.listing,
      id: review.app_id,
      name: review.app_name,
      developer_name: review.company_name,
      install_count: 0,
      published_at: review.submitted_at,
      scopes: review.scopes,
    },
    registry,
  );
}

/** One submission as the marketplace would show it, with Approve and Reject. */
export function reviewPageView(p: {
  review: QueuedReview;
  registry: Readonly<Record<string, string>>;
  reply: FastifyReply;
  flash: Flash | undefined;
}): SafeHtml {
  const { review } = p;
  const { added, removed } = scopeChanges(review);
  const summary = html`<p><a href="/admin/reviews">← Review queue</a></p>
    <dl><dt>Developer</dt><dd>${review.company_name}</dd><dt>Submitted</dt><dd>${utcMinute(review.submitted_at)} by ${review.submitted_by}</dd>
      <dt>Kind</dt><dd>${kindLabel(review)}${review.kind === 'change' ? html` (the app is ${review.app_status}; live scopes: ${review.live_scopes.join(', ')})` : ''}</dd>
      ${added.length ? html`<dt>Scopes added</dt><dd class="scope-added">${added.join(', ')}</dd>` : ''}
      ${removed.length ? html`<dt>Scopes removed</dt><dd class="scope-removed">${removed.join(', ')}</dd>` : ''}</dl>`;
  return adminPageView(
    'reviews',
    html`${flashMessages(p.flash)}
    ${card('submission', `Review of ${review.app_name}`, summary)}
    <h2 class="preview-h">As the marketplace will show it</h2>
    <div class="listing-preview" id="preview">${listingView(preview(review, p.registry), { signedIn: true, installedIn: undefined, preview: true })}</div>
    ${card('reject-form', 'Decision', decisionForms(review, p.reply, p.flash))}`,
  );
}
