import type { z } from 'zod';
import type { Actor } from '../../audit/service.js';
import { recordAudit } from '../../audit/service.js';
import type { Database, Executor } from '../../db/database.js';
import type { ListingFields } from '../../db/marketplace-schema.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { nowIso } from '../../lib/time.js';
import { parseInput } from '../../lib/validation.js';
import type { Policy } from '../../policy.js';
import * as appsRepo from '../repo.js';
import {
  IMAGE_LIMITS,
  type ImageFacts,
  iconProblem,
  isImageId,
  newImageId,
  screenshotProblem,
  sniffImage,
} from './images.js';
import * as repo from './repo.js';
import { type DraftFieldsInput, draftFields, type ListingDraft } from './schemas.js';

/** An uploaded file as the edge read it: its bytes, and whether it went past the upload limit. */
export interface Upload {
  bytes: Buffer;
  truncated: boolean;
}

/** A change to the draft: its text fields (replaced; kept when absent), a new icon, screenshots to add or remove. */
export interface DraftChange {
  fields?: { [K in keyof DraftFieldsInput]?: unknown };
  icon?: Upload;
  screenshots?: Upload[];
  removeScreenshots?: string[];
}

export type ImageMeta = {
  id: string;
  content_type: string;
  width: number;
  height: number;
  byte_size: number;
};

/** The draft as the Listing tab and the developer API show it, with its images' facts. */
export interface DraftView {
  draft: ListingDraft;
  images: ImageMeta[];
}

/** Parses a stored draft or snapshot (JSON); a missing one is empty. */
export function parseDraft(json: string | null): ListingDraft {
  return json ? (JSON.parse(json) as ListingDraft) : {};
}

/** The image ids a listing or draft names. */
export function imageIds(listing: Partial<ListingFields>): string[] {
  return [...(listing.icon_image_id ? [listing.icon_image_id] : []), ...(listing.screenshot_image_ids ?? [])];
}

/**
 * Deletes the app's images that neither its draft, any of its reviews nor its live listing
 * names, so replaced uploads do not pile up. Inside the caller's transaction.
 */
export async function pruneImages(db: Executor, appId: string): Promise<number> {
  const keep = new Set(imageIds(parseDraft(await repo.findDraft(db, appId))));
  for (const snapshot of await repo.reviewListings(db, appId))
    for (const id of imageIds(parseDraft(snapshot))) keep.add(id);
  const live = await repo.findLiveListing(db, appId);
  if (live)
    for (const id of imageIds({
      icon_image_id: live.icon_image_id,
      screenshot_image_ids: JSON.parse(live.screenshot_image_ids),
    }))
      keep.add(id);
  return repo.deleteImagesExcept(db, appId, [...keep]);
}

/** An upload checked by its bytes: its facts, or the field's message. */
function checked(upload: Upload, problem: typeof iconProblem, limit: number) {
  // A truncated upload went past the limit: its bytes are not the whole image.
  const bytes = upload.truncated ? Buffer.alloc(limit + 1) : upload.bytes;
  const facts = upload.truncated ? undefined : sniffImage(bytes);
  return { bytes, facts, problem: problem(bytes, facts) };
}

/** Stores a checked image (immutable; a new upload is a new row); answers its new id. */
async function storeImage(
  db: Executor,
  appId: string,
  image: { bytes: Buffer; facts: ImageFacts | undefined },
  now: string,
): Promise<string> {
  if (!image.facts) throw new Error('storeImage: the image was not checked');
  const id = newImageId();
  const { contentType, width, height } = image.facts;
  const row = { id, app_id: appId, content_type: contentType, width, height, created_at: now };
  await repo.insertImage(db, { ...row, byte_size: image.bytes.length, bytes: image.bytes });
  return id;
}

/** The developer's listing draft of an app, and its icon and screenshots. */
export class ListingService {
  private readonly fields;

  constructor(
    private readonly db: Database,
    private readonly scopes: Readonly<Record<string, string>>,
    private readonly policy: Policy,
  ) {
    this.fields = draftFields(scopes);
  }

  private async appOf(db: Executor, companyId: string, appId: string, lock = false) {
    if (!isId(appId, 'app')) throw new NotFoundError('App');
    if (lock && !(await appsRepo.touchCompanyApp(db, companyId, appId, nowIso())))
      throw new NotFoundError('App');
    const app = await appsRepo.findCompanyApp(db, companyId, appId);
    if (!app) throw new NotFoundError('App');
    return app;
  }

  /** The app's draft with its images' facts. */
  async draft(actor: Actor, companyId: string, appId: string): Promise<DraftView> {
    await this.policy.authorize(actor, companyId, 'manage_apps');
    const app = await this.appOf(this.db, companyId, appId);
    const draft = parseDraft(app.listing_draft);
    return { draft, images: await repo.imageFacts(this.db, app.id, imageIds(draft)) };
  }

  /** The change's text fields and images, checked before any transaction; the problems by field. */
  private check(change: DraftChange) {
    const errors: Record<string, string> = {};
    let fields: z.output<typeof this.fields> | undefined;
    try {
      if (change.fields) fields = parseInput(this.fields, change.fields);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(errors, err.fields);
    }
    const icon = change.icon && checked(change.icon, iconProblem, IMAGE_LIMITS.iconBytes);
    if (icon?.problem) errors.icon = icon.problem;
    const shots = (change.screenshots ?? []).map((s) =>
      checked(s, screenshotProblem, IMAGE_LIMITS.screenshotBytes),
    );
    const badShot = shots.find((s) => s.problem);
    if (badShot?.problem) errors.screenshots = badShot.problem;
    return { errors, fields, icon, shots };
  }

  /**
   * Saves the draft: the text fields as given (an empty one is cleared), a new icon replacing
   * the old, screenshots removed and added (five at most). All or nothing: any invalid field or
   * image refuses the whole change, each named. Images no longer named anywhere are deleted.
   */
  async saveDraft(actor: Actor, companyId: string, appId: string, change: DraftChange): Promise<DraftView> {
    await this.policy.authorize(actor, companyId, 'manage_apps');
    const { errors, fields, icon, shots } = this.check(change);
    return this.db.transaction().execute(async (trx) => {
      const app = await this.appOf(trx, companyId, appId, true);
      const before = parseDraft(app.listing_draft);
      const removed = new Set(change.removeScreenshots ?? []);
      const kept = (before.screenshot_image_ids ?? []).filter((id) => !removed.has(id));
      if (kept.length + shots.length > IMAGE_LIMITS.screenshots)
        errors.screenshots ??= `at most ${IMAGE_LIMITS.screenshots} screenshots: remove one before adding another`;
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      const text = fields ?? before;
      const now = nowIso();
      const draft: ListingDraft = {
        tagline: text.tagline,
        description: text.description,
        category: text.category,
        support_email: text.support_email,
        privacy_url: text.privacy_url,
        install_url: text.install_url,
        scopes: text.scopes,
        icon_image_id: icon ? await storeImage(trx, app.id, icon, now) : before.icon_image_id,
        screenshot_image_ids: kept,
      };
      for (const shot of shots) kept.push(await storeImage(trx, app.id, shot, now));
      await repo.saveDraft(trx, app.id, JSON.stringify(draft), now);
      const pruned = await pruneImages(trx, app.id);
      await recordAudit(trx, actor, {
        companyId,
        action: 'app.listing_draft_saved',
        targetType: 'app',
        targetId: app.id,
        details: { images_added: shots.length + (icon ? 1 : 0), images_deleted: pruned },
      });
      return { draft, images: await repo.imageFacts(trx, app.id, imageIds(draft)) };
    });
  }

  /** A listing image by its unguessable id, for its public URL; undefined when there is none. */
  async image(id: string) {
    return isImageId(id) ? repo.findImage(this.db, id) : undefined;
  }
}
