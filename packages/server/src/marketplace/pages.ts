import type { FastifyInstance } from 'fastify';
import type { InstallationsService } from '../installations/service.js';
import { NotFoundError } from '../lib/errors.js';
import { sendPage } from '../web/layout.js';
import { listingView } from './listing-view.js';
import { readBrowseQuery } from './query.js';
import type { MarketplaceService } from './service.js';
import { marketplaceView } from './views.js';

interface Deps {
  marketplace: MarketplaceService;
  installations: InstallationsService;
}

// Public pages: anyone may browse, signed in or not; Install leads into the install flow,
// which asks a signed-out visitor to sign in and comes back.
const open = { config: { signedOut: true } };

/** `GET /marketplace` (search, categories, sort, pages) and `GET /marketplace/apps/:id`. */
export function marketplacePages(app: FastifyInstance, { marketplace, installations }: Deps) {
  app.get('/marketplace', open, async (request, reply) => {
    const query = readBrowseQuery(request.query as Record<string, unknown>);
    const result = await marketplace.browse(query);
    const title = query.q ? `“${query.q}” in the marketplace` : 'Marketplace';
    return sendPage(request, reply, { title, body: marketplaceView(query, result) });
  });

  app.get('/marketplace/apps/:id', open, async (request, reply) => {
    const { id } = request.params as { id: string };
    const listing = await marketplace.listing(id);
    if (!listing) throw new NotFoundError('App');
    const company = request.viewer?.company;
    const installed = company && (await installations.installedIn(listing.id, [company.id])).has(company.id);
    const ctx = { signedIn: request.viewer !== undefined, installedIn: installed ? company.name : undefined };
    return sendPage(request, reply, { title: listing.name, body: listingView(listing, ctx) });
  });
}
