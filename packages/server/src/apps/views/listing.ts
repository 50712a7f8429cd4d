import type { FastifyReply } from 'fastify';
import type { Flash } from '../../accounts/flash.js';
import type { FieldIssues } from '../../lib/errors.js';
import { errorSummary, fieldError, invalid, textArea, textField } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { utcMinute } from '../../web/last-used.js';
import { csrfField } from '../../web/layout.js';
import { CATEGORIES } from '../categories.js';
import { LISTING_FIELD_ORDER, LISTING_LABELS, type ListingDraft } from '../listing/schemas.js';
import type { ImageMeta } from '../listing/service.js';
import type { ReviewView } from '../review/service.js';
import { submitRefusal } from '../review/service.js';
import type { AppView } from '../service.js';
import { card } from './card.js';
import { scopeField } from './fields.js';

/** What the Listing tab shows: the draft, its images, and the app's reviews (newest first). */
export interface ListingTabData {
  draft: ListingDraft;
  images: ImageMeta[];
  reviews: ReviewView[];
}

export const imageUrl = (id: string) => `/listing-images/${id}`;

const REVIEW_LABELS: Record<ReviewView['status'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

function reviewBadge(status: ReviewView['status']): SafeHtml {
  return html`<span class="badge ${status === 'approved' ? 'published' : status}">${REVIEW_LABELS[status]}</span>`;
}

/** The state of the last review, in a sentence: pending, or rejected with its reason. */
function reviewState(app: AppView, reviews: ReviewView[], reply: FastifyReply): SafeHtml {
  const last = reviews[0];
  if (last?.status === 'pending') {
    return html`<div class="notice" role="status" id="review-pending"><p>Submitted for review on <span class="nowrap">${utcMinute(last.submitted_at)}</span> by ${last.submitted_by}.
      ${last.kind === 'change' ? 'Customers keep seeing the live listing and scopes until it is approved.' : 'A platform admin will approve or reject it.'}</p>
      <form method="post" action="/developer/apps/${app.id}/listing/withdraw">${csrfField(reply)}
        <button type="submit" class="secondary">Withdraw the submission</button></form></div>`;
  }
  if (last?.status === 'rejected') {
    return html`<div class="alert" id="review-rejected"><p><strong>Rejected on <span class="nowrap">${utcMinute(last.decided_at ?? last.submitted_at)}</span>.</strong> The reviewer wrote:</p>
      <blockquote class="reason">${last.reason ?? ''}</blockquote><p>Fix the listing below and submit it again.</p></div>`;
  }
  return html``;
}

function imageField(opts: {
  name: string;
  label: string;
  hint: string;
  multiple?: boolean;
  errors: FieldIssues;
}): SafeHtml {
  const { name, errors } = opts;
  return html`<label for="${name}">${opts.label}</label><p class="hint" id="${name}-hint">${opts.hint}</p>
    <input type="file" id="${name}" name="${name}" accept="image/png,image/jpeg,image/webp"${opts.multiple ? html` multiple` : ''}${errors[name] ? html` aria-invalid="true" aria-describedby="${name}-hint ${name}-error"` : html` aria-describedby="${name}-hint"`}>
    ${fieldError(errors, name)}`;
}

function currentIcon(draft: ListingDraft): SafeHtml {
  return draft.icon_image_id
    ? html`<p class="listing-icon"><img src="${imageUrl(draft.icon_image_id)}" alt="Current icon" width="64" height="64"> <span class="muted">Current icon. Upload another to replace it.</span></p>`
    : html``;
}

function currentScreenshots(draft: ListingDraft): SafeHtml {
  const ids = draft.screenshot_image_ids ?? [];
  if (ids.length === 0) return html``;
  return html`<ul class="shots" aria-label="Current screenshots">${ids.map(
    (id, i) => html`<li><img src="${imageUrl(id)}" alt="Screenshot ${i + 1}">
      <label class="check"><input type="checkbox" name="remove_screenshots" value="${id}"> Remove screenshot ${i + 1}</label></li>`,
  )}</ul>`;
}

function categoryField(value: unknown, errors: FieldIssues): SafeHtml {
  return html`<label for="category">Category</label>
    <select id="category" name="category"${invalid(errors, 'category')}>
      <option value="">Choose a category</option>
      ${Object.entries(CATEGORIES).map(([slug, label]) => html`<option value="${slug}"${slug === value ? html` selected` : ''}>${label}</option>`)}
    </select>${fieldError(errors, 'category')}`;
}

/** A published app's scopes for the next change: what customers will be asked for once approved. */
function scopesField(
  registry: Readonly<Record<string, string>>,
  chosen: string[],
  errors: FieldIssues,
): SafeHtml {
  return html`<input type="hidden" name="scopes_field" value="yes">
    <p class="hint">The app is published: new scopes apply once the change is approved. Existing installations keep the scopes they granted until the customer installs again.</p>
    ${scopeField(registry, chosen, errors, 'Scopes to request with this change')}`;
}

function listingForm(ctx: {
  app: AppView;
  reply: FastifyReply;
  flash: Flash | undefined;
  scopes: Readonly<Record<string, string>>;
  listing: ListingTabData;
}): SafeHtml {
  const { app, reply, flash, listing } = ctx;
  const form = formState(flash, 'listing-form');
  const typed = form.values && Object.keys(form.values).length > 0 ? form.values : undefined;
  const value = (field: keyof ListingDraft) => (typed ? typed[field] : listing.draft[field]);
  const { errors } = form;
  const published = app.status === 'published';
  const chosenScopes = (typed?.scopes as string[] | undefined) ?? listing.draft.scopes ?? app.scopes;
  return html`${errorSummary(form, LISTING_LABELS, LISTING_FIELD_ORDER)}
    <form method="post" action="/developer/apps/${app.id}/listing" enctype="multipart/form-data" novalidate>${csrfField(reply)}
      ${textField({ name: 'tagline', label: 'Tagline', value: value('tagline'), errors, hint: 'One line, at most 80 characters.' })}
      ${textArea({ name: 'description', label: 'Description', value: value('description'), errors, hint: 'Plain text, 20 to 4000 characters. Line breaks are kept.' })}
      ${categoryField(value('category'), errors)}
      ${currentIcon(listing.draft)}
      ${imageField({ name: 'icon', label: 'Icon', hint: 'PNG, JPEG or WebP, square, at least 128×128 pixels, at most 512 KB.', errors })}
      ${currentScreenshots(listing.draft)}
      ${imageField({ name: 'screenshots', label: 'Add screenshots', hint: 'One to five in all; PNG, JPEG or WebP, at most 2 MB each.', multiple: true, errors })}
      ${textField({ name: 'support_email', label: 'Support email', value: value('support_email'), errors, type: 'email', autocomplete: 'email' })}
      ${textField({ name: 'privacy_url', label: 'Privacy policy URL', value: value('privacy_url'), errors, type: 'url', hint: 'https:// (http only for localhost).' })}
      ${textField({ name: 'install_url', label: 'Install URL (optional)', value: value('install_url'), errors, type: 'url', hint: "Your page that starts the install with its own state (the SDK's installUrl). Without it, the marketplace sends customers to your distribution URL and your callback gets no state. https:// (http only for localhost)." })}
      ${published ? scopesField(ctx.scopes, chosenScopes, errors) : ''}
      <div class="actions"><button type="submit">Save listing</button></div>
    </form>`;
}

function submitForm(app: AppView, reply: FastifyReply, reviews: ReviewView[]): SafeHtml {
  const refusal = submitRefusal(app.status);
  if (reviews[0]?.status === 'pending')
    return html`<p>The submission above is waiting for a platform admin. Withdraw it to submit another version.</p>`;
  if (refusal)
    return html`<p id="submit-refused">${refusal}${app.status === 'private' ? html` <a href="/developer/apps/${app.id}/distribution">Enable distribution</a>.` : ''}</p>`;
  return html`<form method="post" action="/developer/apps/${app.id}/listing/submit">${csrfField(reply)}
    <p>${app.status === 'published' ? 'Submit the saved listing and scopes as a change: customers keep the live ones until it is approved.' : 'Submit the saved listing: a platform admin reviews it before the app appears in the marketplace.'}</p>
    <div class="actions"><button type="submit">Submit for review</button></div></form>`;
}

function historyTable(reviews: ReviewView[]): SafeHtml {
  if (reviews.length === 0) return html`<p class="muted">No submissions yet.</p>`;
  return html`<table class="stack"><thead><tr><th>Submitted</th><th>Kind</th><th>Status</th><th>Decided</th><th>Reason</th></tr></thead>
    <tbody>${reviews.map(
      (
        r,
      ) => html`<tr><td data-label="Submitted">${utcMinute(r.submitted_at)} <span class="muted">by ${r.submitted_by}</span></td>
      <td data-label="Kind">${r.kind === 'change' ? 'Change' : 'First publication'}</td><td data-label="Status">${reviewBadge(r.status)}</td>
      <td data-label="Decided">${r.decided_at ? utcMinute(r.decided_at) : '—'}</td><td data-label="Reason" class="reason">${r.reason ?? '—'}</td></tr>`,
    )}</tbody></table>`;
}

/** The Listing tab: the review state, the draft form, the submit button and the review history. */
export function listingTab(ctx: {
  app: AppView;
  reply: FastifyReply;
  flash: Flash | undefined;
  scopes: Readonly<Record<string, string>>;
  listing?: ListingTabData;
}): SafeHtml {
  const { app, reply, listing } = ctx;
  if (!listing) return html``;
  return html`${card('listing-form', 'Marketplace listing', html`${reviewState(app, listing.reviews, reply)}${listingForm({ ...ctx, listing })}`)}
    ${card('listing-submit', 'Review', submitForm(app, reply, listing.reviews))}
    ${card('listing-history', 'Review history', historyTable(listing.reviews))}`;
}
