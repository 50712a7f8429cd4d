import { type Actor, recordAudit } from '../../audit/service.js';
import type { CredentialsService } from '../../credentials/service.js';
import type { Database, Executor } from '../../db/database.js';
import type { AppReviewRow, ListingFields } from '../../db/marketplace-schema.js';
import type { AppRow, AppStatus } from '../../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { isId, newId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { parseInput } from '../../lib/validation.js';
import type { Policy } from '../../policy.js';
import * as listingRepo from '../listing/repo.js';
import { completeListing, rejection } from '../listing/schemas.js';
import { parseDraft, pruneImages } from '../listing/service.js';
import type { OAuthClients } from '../oauth-client.js';
import * as appsRepo from '../repo.js';
import type { ReviewWithApp } from './repo.js';
import * as repo from './repo.js';

/** A review as the developer, the admin, the developer API and the CLI see it. */
export interface ReviewView {
  id: string;
  app_id: string;
  company_id: string;
  status: AppReviewRow['status'];
  /** A first publication (the app was unlisted or rejected), or a change to a published app. */
  kind: 'first_publication' | 'change';
  listing: ListingFields;
  scopes: string[];
  submitted_by: string;
  submitted_at: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
}

/** A review in the admin's queue: with its app, developer company, and the app's live scopes. */
export interface QueuedReview extends ReviewView {
  app_name: string;
  app_status: AppStatus;
  company_name: string;
  live_scopes: string[];
}

export function reviewView(r: AppReviewRow): ReviewView {
  return {
    id: r.id,
    app_id: r.app_id,
    company_id: r.company_id,
    status: r.status,
    kind: r.app_status_before === 'published' ? 'change' : 'first_publication',
    listing: JSON.parse(r.listing) as ListingFields,
    scopes: JSON.parse(r.scopes) as string[],
    submitted_by: r.submitted_by,
    submitted_at: r.submitted_at,
    decided_by: r.decided_by,
    decided_at: r.decided_at,
    reason: r.reason,
  };
}

function queued(r: ReviewWithApp): QueuedReview {
  return {
    ...reviewView(r),
    app_name: r.app_name,
    app_status: r.app_status,
    company_name: r.company_name,
    live_scopes: JSON.parse(r.app_scopes) as string[],
  };
}

/** Why an app in this status cannot be submitted, or undefined when it can. */
export function submitRefusal(status: AppStatus): string | undefined {
  if (status === 'unlisted' || status === 'rejected' || status === 'published') return undefined;
  if (status === 'private') return 'Enable distribution first: only a distributed app can be listed.';
  if (status === 'in_review') return 'The app is already in review.';
  if (status === 'suspended') return 'A suspended app cannot be submitted for review.';
  return 'A deleted app cannot be submitted for review.';
}

/**
 * Review and publication: a developer submits the app's draft listing and requested scopes;
 * a platform admin approves (the listing goes live, the scopes apply) or rejects with a reason.
 */
export class ReviewService {
  constructor(
    private readonly db: Database,
    private readonly policy: Policy,
    private readonly clients: OAuthClients,
    private readonly credentials: CredentialsService,
  ) {}

  /** The developer's side: one audited change to one app, its row locked. */
  private async developerChange<T>(
    target: { actor: Actor; companyId: string; appId: string },
    action: string,
    work: (
      trx: Executor,
      app: NonNullable<Awaited<ReturnType<typeof appsRepo.findCompanyApp>>>,
    ) => Promise<{ result: T; details: Record<string, unknown> }>,
  ): Promise<T> {
    const { actor, companyId, appId } = target;
    await this.policy.authorize(actor, companyId, 'manage_apps');
    if (!isId(appId, 'app')) throw new NotFoundError('App');
    const result = await this.db.transaction().execute(async (trx) => {
      if (!(await appsRepo.touchCompanyApp(trx, companyId, appId, nowIso()))) throw new NotFoundError('App');
      const app = await appsRepo.findCompanyApp(trx, companyId, appId);
      if (!app) throw new NotFoundError('App');
      const { result, details } = await work(trx, app);
      await recordAudit(trx, actor, { companyId, action, targetType: 'app', targetId: appId, details });
      return result;
    });
    this.clients.forget();
    return result;
  }

  /**
   * Submits the app's draft listing and scopes for review. A first publication (unlisted or
   * rejected) puts the app `in_review`; a published app stays published, its live listing and
   * scopes unchanged until the change is approved.
   */
  async submit(actor: Actor, companyId: string, appId: string): Promise<ReviewView> {
    return this.developerChange({ actor, companyId, appId }, 'app.review_submitted', async (trx, app) => {
      const refusal = submitRefusal(app.status);
      if (refusal) throw new ConflictError(refusal);
      if (await repo.findPending(trx, app.id))
        throw new ConflictError('A review of this app is already pending. Withdraw it to submit a new one.');
      const review = snapshot(app, actor, nowIso());
      await repo.insertReview(trx, review);
      const published = app.status === 'published';
      if (!published)
        await repo.setAppState(trx, app.id, { status: 'in_review', updated_at: review.submitted_at });
      return {
        result: reviewView(review),
        details: {
          review_id: review.id,
          scopes: JSON.parse(review.scopes),
          kind: published ? 'change' : 'first_publication',
        },
      };
    });
  }

  /** Withdraws the app's pending review: the app goes back to the status it had. */
  async withdraw(actor: Actor, companyId: string, appId: string): Promise<ReviewView> {
    return this.developerChange({ actor, companyId, appId }, 'app.review_withdrawn', async (trx, app) => {
      const pending = await repo.findPending(trx, app.id);
      if (!pending) throw new ConflictError('The app has no pending review to withdraw.');
      const now = nowIso();
      await repo.decide(trx, pending.id, {
        status: 'withdrawn',
        decided_at: now,
        decided_by: actor.label,
        decided_by_user_id: actor.kind === 'user' ? actor.userId : null,
      });
      if (app.status === 'in_review')
        await repo.setAppState(trx, app.id, {
          status: pending.app_status_before as AppStatus,
          updated_at: now,
        });
      return {
        result: reviewView({ ...pending, status: 'withdrawn', decided_at: now, decided_by: actor.label }),
        details: { review_id: pending.id },
      };
    });
  }

  /** The app's reviews, newest first (the developer's history, with each rejection's reason). */
  async history(actor: Actor, companyId: string, appId: string): Promise<ReviewView[]> {
    await this.policy.authorize(actor, companyId, 'manage_apps');
    if (!isId(appId, 'app') || !(await appsRepo.findCompanyApp(this.db, companyId, appId)))
      throw new NotFoundError('App');
    return (await repo.listForApp(this.db, appId)).map(reviewView);
  }

  /** The company an app belongs to, for the operator's CLI (which names the app alone). */
  async companyOf(actor: Actor, appId: string): Promise<string> {
    await this.policy.authorizePlatform(actor);
    const app = isId(appId, 'app') ? await appsRepo.findLiveApp(this.db, appId) : undefined;
    if (!app) throw new NotFoundError('App');
    return app.company_id;
  }

  /** The review queue: pending reviews, oldest first. */
  async queue(actor: Actor): Promise<QueuedReview[]> {
    await this.policy.authorizePlatform(actor);
    return (await repo.listPending(this.db)).map(queued);
  }

  /** Reviews decided lately, newest first. */
  async recentlyDecided(actor: Actor, limit = 20): Promise<QueuedReview[]> {
    await this.policy.authorizePlatform(actor);
    return (await repo.listDecided(this.db, limit)).map(queued);
  }

  /** One review, for the admin's review page. */
  async get(actor: Actor, reviewId: string): Promise<QueuedReview> {
    await this.policy.authorizePlatform(actor);
    const found = isId(reviewId, 'rvw') ? await repo.findReview(this.db, reviewId) : undefined;
    if (!found) throw new NotFoundError('Review');
    return queued(found);
  }

  /** The admin's side: one decision on a pending review, the app's row locked, audited on the developer company. */
  private async decision(
    actor: Actor,
    reviewId: string,
    action: string,
    work: (trx: Executor, review: AppReviewRow, now: string) => Promise<Record<string, unknown>>,
  ): Promise<ReviewView> {
    await this.policy.authorizePlatform(actor);
    if (!isId(reviewId, 'rvw')) throw new NotFoundError('Review');
    const view = await this.db.transaction().execute(async (trx) => {
      const found = await repo.findReview(trx, reviewId);
      if (!found) throw new NotFoundError('Review');
      const now = nowIso();
      const app = await repo.lockApp(trx, found.app_id, now);
      if (!app) throw new ConflictError('The app was deleted: its review can no longer be decided.');
      const review = (await repo.findReview(trx, reviewId)) as ReviewWithApp;
      if (review.status !== 'pending') throw new ConflictError(`This review was already ${review.status}.`);
      if (app.status === 'suspended')
        throw new ConflictError('The app is suspended: unsuspend it before deciding its review.');
      const details = await work(trx, review, now);
      await recordAudit(trx, actor, {
        companyId: review.company_id,
        action,
        targetType: 'app',
        targetId: review.app_id,
        details: { review_id: review.id, ...details },
      });
      return reviewView((await repo.findReview(trx, reviewId)) as ReviewWithApp);
    });
    this.clients.forget();
    // The approved scopes are the app's API key's scopes from now on.
    this.credentials.forgetCachedChecks();
    return view;
  }

  /** Approves: the snapshot becomes the live listing, the reviewed scopes the app's, and the app is published. */
  async approve(actor: Actor, reviewId: string): Promise<ReviewView> {
    return this.decision(actor, reviewId, 'app.review_approved', async (trx, review, now) => {
      const listing = JSON.parse(review.listing) as ListingFields;
      await listingRepo.upsertLiveListing(trx, {
        app_id: review.app_id,
        ...listing,
        screenshot_image_ids: JSON.stringify(listing.screenshot_image_ids),
        // A snapshot without one clears it: Install leads to the distribution URL again.
        install_url: listing.install_url ?? null,
        published_at: now,
        updated_at: now,
      });
      await repo.decide(trx, review.id, { status: 'approved', ...decider(actor, now) });
      await repo.setAppState(trx, review.app_id, {
        status: 'published',
        scopes: review.scopes,
        updated_at: now,
      });
      await pruneImages(trx, review.app_id);
      return { scopes: JSON.parse(review.scopes) };
    });
  }

  /** Rejects with a reason the developer reads; a first publication becomes `rejected`, a published app stays published. */
  async reject(actor: Actor, reviewId: string, input: { reason?: unknown }): Promise<ReviewView> {
    const { reason } = parseInput(rejection, input);
    return this.decision(actor, reviewId, 'app.review_rejected', async (trx, review, now) => {
      await repo.decide(trx, review.id, { status: 'rejected', reason, ...decider(actor, now) });
      if (review.app_status_before !== 'published')
        await repo.setAppState(trx, review.app_id, { status: 'rejected', updated_at: now });
      return { reason };
    });
  }
}

/**
 * A pending review of the app's saved draft, which must be complete (each missing or invalid
 * field named). Only a published app's change carries scopes in the draft; before the first
 * publication the app's own scopes (its Settings) are the ones reviewed.
 */
function snapshot(app: AppRow, actor: Actor, now: string): AppReviewRow {
  const draft = parseDraft(app.listing_draft);
  const complete = completeListing(draft);
  if ('errors' in complete) throw new ValidationError(complete.errors);
  const scopes = app.status === 'published' && draft.scopes ? draft.scopes : JSON.parse(app.scopes);
  return {
    id: newId('rvw'),
    app_id: app.id,
    company_id: app.company_id,
    status: 'pending',
    listing: JSON.stringify(complete.listing),
    scopes: JSON.stringify(scopes),
    app_status_before: app.status,
    submitted_by: actor.label,
    submitted_by_user_id: actor.kind === 'user' ? actor.userId : null,
    submitted_at: now,
    decided_by: null,
    decided_by_user_id: null,
    decided_at: null,
    reason: null,
  };
}

function decider(actor: Actor, now: string) {
  return {
    decided_at: now,
    decided_by: actor.label,
    decided_by_user_id: actor.kind === 'user' ? actor.userId : null,
  };
}
