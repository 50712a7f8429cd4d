import type { FastifyRequest } from 'fastify';
import { ExpiredLinkError } from '../../lib/errors.js';
import { html, type SafeHtml } from '../../web/html.js';
import { messageCard } from '../views/card.js';

// What the pages behind a mailed link (verification, password reset, invitation) share.

/** The link's secret from `?token=` (or the form's `token` field on a POST), as text; anything else is no link. */
export function tokenOf(request: FastifyRequest): string {
  const source = request.method === 'POST' ? request.body : request.query;
  const token = (source as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token.slice(0, 200) : '';
}

/** The page of a link that no longer works (unknown, expired, used or revoked). */
export const deadLink = (what: string): SafeHtml =>
  messageCard(
    `This ${what} link no longer works`,
    new ExpiredLinkError().message,
    html`<p><a href="/">Start page</a></p>`,
  );
