import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../audit/service.js';
import { NotFoundError } from '../../lib/errors.js';
import { formList, formSchema, formText, handleForm } from '../../web/forms.js';
import { IMAGE_LIMITS } from '../listing/images.js';
import type { ListingService, Upload } from '../listing/service.js';
import type { ReviewService } from '../review/service.js';
import type { AppsService } from '../service.js';
import { appPath } from '../views/app-page.js';
import type { ListingTabData } from '../views/listing.js';
import { appOf } from './app-page.js';
import { buttonForm } from './forms.js';

interface Deps {
  apps: AppsService;
  listings: ListingService;
  reviews: ReviewService;
}

/** The Listing tab's data: the draft, its images and the review history. */
export async function listingTabData(
  deps: Deps,
  actor: Actor,
  companyId: string,
  appId: string,
): Promise<ListingTabData> {
  const { draft, images } = await deps.listings.draft(actor, companyId, appId);
  return { draft, images, reviews: await deps.reviews.history(actor, companyId, appId) };
}

const listingForm = formSchema({
  tagline: formText,
  description: formText,
  category: formText,
  support_email: formText,
  privacy_url: formText,
  install_url: formText,
  scopes: formList,
  scopes_field: formText,
  remove_screenshots: formList,
});

/** The uploads of a multipart request, apart from its text fields (which may go back into a flash). */
const uploads = new WeakMap<FastifyRequest, { icon?: Upload; screenshots: Upload[] }>();

/**
 * Reads a multipart form: its text fields become the body (a repeated name a list), its files
 * the request's uploads. An empty file input (nothing chosen) is no upload. A file past the
 * screenshot limit is kept as truncated, so the form says it is too large.
 */
async function readMultipart(request: FastifyRequest) {
  const body: Record<string, string | string[]> = {};
  const files: { icon?: Upload; screenshots: Upload[] } = { screenshots: [] };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (bytes.length === 0 && !part.filename) continue;
      const upload = { bytes, truncated: part.file.truncated };
      if (part.fieldname === 'icon') files.icon = upload;
      else if (part.fieldname === 'screenshots') files.screenshots.push(upload);
      continue;
    }
    const value = String(part.value);
    const prior = body[part.fieldname];
    body[part.fieldname] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  request.body = body;
  uploads.set(request, files);
}

/**
 * The listing form, in its own scope: the only pages that take multipart bodies. The page kind
 * checks CSRF before the body is read, which a multipart body is not yet; this scope checks it
 * once the fields are read (`csrfAfterBody`).
 */
async function listingUploadScope(scope: FastifyInstance, deps: Deps) {
  await scope.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: IMAGE_LIMITS.screenshotBytes, files: 6, fields: 40, fieldSize: 20_000, parts: 50 },
  });
  scope.addHook('preValidation', async (request, reply) => {
    // Any other body (urlencoded) was parsed already; CSRF is checked either way.
    if (request.isMultipart()) await readMultipart(request);
    await new Promise<void>((resolve, reject) => {
      scope.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve()));
    });
  });
  const { apps, listings } = deps;
  scope.post('/developer/apps/:id/listing', { config: { csrfAfterBody: true } }, async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'listing'), id: 'listing-form', schema: listingForm };
    return handleForm(request, reply, form, async (data) => {
      const files = uploads.get(request) ?? { screenshots: [] };
      await listings.saveDraft(actor, companyId, view.id, {
        fields: {
          tagline: data.tagline,
          description: data.description,
          category: data.category,
          support_email: data.support_email,
          privacy_url: data.privacy_url,
          install_url: data.install_url,
          scopes: data.scopes_field === 'yes' ? data.scopes : undefined,
        },
        icon: files.icon,
        screenshots: files.screenshots,
        removeScreenshots: data.remove_screenshots,
      });
      return { to: form.page, flash: { notice: 'Listing saved.' } };
    });
  });
}

/** The Listing tab's forms: save the draft (with images), submit it for review, withdraw it. */
export function listingPages(app: FastifyInstance, deps: Deps) {
  const { apps, reviews } = deps;
  void app.register(async (scope) => listingUploadScope(scope, deps));

  app.post('/developer/apps/:id/listing/submit', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'listing'), id: 'listing-form', schema: buttonForm };
    return handleForm(request, reply, form, async () => {
      const review = await reviews.submit(actor, companyId, view.id);
      const notice =
        review.kind === 'change'
          ? 'Change submitted for review. Customers keep the live listing and scopes until it is approved.'
          : 'Submitted for review. The app is in review until a platform admin decides.';
      return { to: form.page, flash: { notice } };
    });
  });

  app.post('/developer/apps/:id/listing/withdraw', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'listing'), id: 'listing-form', schema: buttonForm };
    return handleForm(request, reply, form, async () => {
      await reviews.withdraw(actor, companyId, view.id);
      return { to: form.page, flash: { notice: 'Submission withdrawn.' } };
    });
  });
}

/** `GET /listing-images/:id`: an icon or screenshot, public, immutable (a new upload gets a new id). */
export function listingImageRoute(app: FastifyInstance, { listings }: { listings: ListingService }) {
  app.get('/listing-images/:id', async (request, reply) => {
    const { id = '' } = request.params as { id?: string };
    const image = await listings.image(id);
    if (!image) throw new NotFoundError('Image');
    return reply
      .header('content-type', image.content_type)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-length', image.byte_size)
      .send(Buffer.from(image.bytes));
  });
}
