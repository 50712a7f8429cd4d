import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { ValidationError } from '../../lib/errors.js';
import { actorOf, docFor, params } from '../api.js';
import { CATEGORY_SLUGS } from '../categories.js';
import { IMAGE_LIMITS } from '../listing/images.js';
import { draftFields } from '../listing/schemas.js';
import type { DraftView, ListingService } from '../listing/service.js';
import type { ReviewService } from './service.js';

const doc = docFor('Listing and review');

const listing = z.object({
  tagline: z.string(),
  description: z.string(),
  category: z.string().describe(`One of: ${CATEGORY_SLUGS.join(', ')}`),
  icon_image_id: z.string(),
  screenshot_image_ids: z.array(z.string()),
  support_email: z.string(),
  privacy_url: z.string(),
  install_url: z
    .string()
    .nullable()
    .optional()
    .describe("The app's install start page, where the marketplace's Install button leads (optional)"),
});

const image = z.object({
  id: z.string(),
  url: z.string().describe('Public URL of the image'),
  content_type: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  byte_size: z.number().int(),
});

const draftView = z.object({
  draft: listing.partial().extend({ scopes: z.array(z.string()).optional() }),
  images: z.array(image),
});

const review = z.object({
  id: z.string(),
  app_id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  kind: z.enum(['first_publication', 'change']),
  listing,
  scopes: z.array(z.string()),
  submitted_by: z.string(),
  submitted_at: z.string(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  reason: z.string().nullable().describe('Why it was rejected'),
});

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'];

interface Deps {
  config: Config;
  listings: ListingService;
  reviews: ReviewService;
}

function withUrls(view: DraftView, publicUrl: string) {
  return {
    draft: view.draft,
    images: view.images.map((i) => ({ ...i, url: `${publicUrl}/listing-images/${i.id}` })),
  };
}

/**
 * An app's listing draft and its review in the developer API (`/developer/v1`): the draft's
 * text as JSON, its icon and screenshots uploaded as raw image bodies, submit, withdraw, history.
 */
export function listingApiRoutes(app: FastifyInstance, deps: Deps) {
  draftRoutes(app, deps);
  void app.register(async (scope) => imageRoutes(scope, deps));
  reviewRoutes(app, deps);
}

function draftRoutes(app: FastifyInstance, { config, listings }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/apps/:id/listing',
    doc("The app's listing draft and its images", { params, response: { 200: draftView } }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return withUrls(await listings.draft(actor, companyId, request.params.id), config.publicUrl);
    },
  );

  const body = draftFields(config.scopes).extend({
    remove_screenshots: z.array(z.string().max(64)).max(5).optional().describe('Screenshot ids to remove'),
  });
  api.put(
    '/apps/:id/listing',
    doc(
      "Replace the draft's text fields (an absent one is cleared); scopes only for a published app's change",
      {
        params,
        body,
        response: { 200: draftView },
      },
    ),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      const { remove_screenshots, ...fields } = request.body;
      const view = await listings.saveDraft(actor, companyId, request.params.id, {
        fields,
        removeScreenshots: remove_screenshots,
      });
      return withUrls(view, config.publicUrl);
    },
  );
}

/** Raw image bodies (PNG, JPEG or WebP, decided from the bytes): the icon, or one more screenshot. */
function imageRoutes(scope: FastifyInstance, { config, listings }: Deps) {
  scope.addContentTypeParser(
    IMAGE_TYPES,
    { parseAs: 'buffer', bodyLimit: IMAGE_LIMITS.screenshotBytes },
    (_request, payload, done) => done(null, payload),
  );
  const api = scope.withTypeProvider<ZodTypeProvider>();
  const upload = (kind: 'icon' | 'screenshots', summary: string) =>
    api.post(
      `/apps/:id/listing/${kind}`,
      doc(summary, {
        params,
        consumes: ['image/png', 'image/jpeg', 'image/webp'],
        body: z.unknown().describe('The image file itself (binary), not JSON'),
        response: { 200: draftView },
      }),
      async (request) => {
        const { actor, companyId } = actorOf(request);
        if (!Buffer.isBuffer(request.body))
          throw new ValidationError({
            body: 'send the image as the body, with Content-Type image/png, image/jpeg or image/webp',
          });
        const file = { bytes: request.body, truncated: false };
        const change = kind === 'icon' ? { icon: file } : { screenshots: [file] };
        return withUrls(
          await listings.saveDraft(actor, companyId, request.params.id, change),
          config.publicUrl,
        );
      },
    );
  upload(
    'icon',
    "Set the draft's icon: the raw image as the body (square, at least 128×128, at most 512 KB)",
  );
  upload(
    'screenshots',
    'Add a screenshot to the draft: the raw image as the body (at most 2 MB; five in all)',
  );
}

function reviewRoutes(app: FastifyInstance, { reviews }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/apps/:id/review',
    doc('Submit the draft listing (and, for a published app, its scopes) for review', {
      params,
      response: { 201: review },
    }),
    async (request, reply) => {
      const { actor, companyId } = actorOf(request);
      return reply.status(201).send(await reviews.submit(actor, companyId, request.params.id));
    },
  );

  api.post(
    '/apps/:id/review/withdraw',
    doc('Withdraw the pending review; the app returns to its status before', {
      params,
      response: { 200: review },
    }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return reviews.withdraw(actor, companyId, request.params.id);
    },
  );

  api.get(
    '/apps/:id/reviews',
    doc("The app's reviews, newest first, with each rejection's reason", {
      params,
      response: { 200: z.object({ reviews: z.array(review) }) },
    }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return { reviews: await reviews.history(actor, companyId, request.params.id) };
    },
  );
}
