import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../api/error-schemas.js';
import { CATEGORY_SLUGS } from '../apps/categories.js';
import type { Config } from '../config.js';
import { NotFoundError } from '../lib/errors.js';
import type { AppCard, MarketplaceService } from './service.js';
import { MAX_QUERY, PAGE_SIZE, SORTS } from './service.js';

const listQuery = z.object({
  q: z
    .string()
    .max(MAX_QUERY)
    .optional()
    .describe('Matched in name, tagline, description and developer; literally, ignoring case'),
  category: z.enum(CATEGORY_SLUGS).optional(),
  sort: z.enum(SORTS).optional().describe('installs (default), newest or name'),
  page: z.coerce.number().int().min(1).max(100_000).optional().describe(`Pages of ${PAGE_SIZE} apps, from 1`),
});

const card = z.object({
  id: z.string(),
  name: z.string(),
  developer: z.string(),
  tagline: z.string(),
  category: z.string(),
  icon_url: z.string(),
  install_count: z.number().describe('Live installations in real (not test) companies'),
  published_at: z.string(),
  marketplace_url: z.string(),
});

const listing = card.extend({
  description: z.string(),
  screenshot_urls: z.array(z.string()),
  support_email: z.string(),
  privacy_url: z.string(),
  scopes: z.array(z.object({ name: z.string(), description: z.string() })),
  install_url: z
    .string()
    .nullable()
    .describe(
      "Where Install leads: the app's own install page when its listing names one, else its distribution URL; null when it cannot be installed",
    ),
});

const doc = (summary: string, description: string) => ({ tags: ['Marketplace'], summary, description });

function cardJson(base: string, app: AppCard) {
  return {
    id: app.id,
    name: app.name,
    developer: app.developer,
    tagline: app.tagline,
    category: app.category,
    icon_url: `${base}${app.iconUrl}`,
    install_count: app.installCount,
    published_at: app.publishedAt,
    marketplace_url: `${base}/marketplace/apps/${app.id}`,
  };
}

/** `GET /v1/marketplace/apps` and `GET /v1/marketplace/apps/{id}`: the marketplace as JSON, public (no token). */
export function marketplaceApiRoutes(
  scope: FastifyInstance,
  { config, marketplace }: { config: Pick<Config, 'publicUrl'>; marketplace: MarketplaceService },
) {
  const api = scope.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  api.get(
    '/v1/marketplace/apps',
    {
      schema: {
        ...doc(
          'List published apps',
          'The marketplace: published apps only, with search, category, sort and pages. No token needed.',
        ),
        querystring: listQuery,
        response: {
          200: z.object({ apps: z.array(card), total: z.number(), page: z.number(), pages: z.number() }),
          400: problem,
        },
      },
    },
    async (request) => {
      const { q = '', category, sort = 'installs', page = 1 } = request.query;
      const result = await marketplace.browse({ q: q.trim(), category, sort, page });
      return {
        apps: result.apps.map((a) => cardJson(base, a)),
        total: result.total,
        page: result.page,
        pages: result.pages,
      };
    },
  );
  api.get(
    '/v1/marketplace/apps/:id',
    {
      schema: {
        ...doc(
          "A published app's listing",
          'Its live listing, every scope in words and its install URL; 404 unless published.',
        ),
        params: z.object({ id: z.string().max(64).describe('The app id, app_…') }),
        response: { 200: listing, 404: problem },
      },
    },
    async (request) => {
      const app = await marketplace.listing(request.params.id);
      if (!app) throw new NotFoundError('App');
      return {
        ...cardJson(base, app),
        description: app.description,
        screenshot_urls: app.screenshotUrls.map((url) => `${base}${url}`),
        support_email: app.supportEmail,
        privacy_url: app.privacyUrl,
        scopes: app.scopes.map((s) => ({ name: s.name, description: s.words })),
        install_url: app.installUrl,
      };
    },
  );
}
