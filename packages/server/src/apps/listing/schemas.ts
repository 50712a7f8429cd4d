import { z } from 'zod';
import type { ListingFields } from '../../db/marketplace-schema.js';
import { NO_CONTROLS, NO_CONTROLS_MULTILINE } from '../../lib/validation.js';
import { CATEGORIES, CATEGORY_SLUGS } from '../categories.js';
import { scopeList } from '../schemas.js';

// A listing's rules, shared by the Listing tab, the developer API and the CLI. A draft may be
// incomplete (saved a piece at a time); a submission must be complete.

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An empty field means "not filled in yet" in a draft. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const tagline = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(80, 'must be at most 80 characters')
  .regex(NO_CONTROLS, 'must be one line, without control characters')
  .describe('One line, at most 80 characters');

const description = z
  .string()
  .trim()
  .min(20, 'must be at least 20 characters')
  .max(4000, 'must be at most 4000 characters')
  .regex(NO_CONTROLS_MULTILINE, 'must not contain control characters')
  .describe('Plain text, 20–4000 characters; line breaks are kept');

const category = z
  .enum(CATEGORY_SLUGS, { error: `must be one of: ${Object.values(CATEGORIES).join(', ')}` })
  .describe(`One of: ${CATEGORY_SLUGS.join(', ')}`);

const supportEmail = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an e-mail address, such as support@example.com' }))
  .describe('Where customers ask for help');

/** A web page of the app's: https, or http only for localhost; no credentials, printable ASCII. */
const webPage = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => {
      try {
        const u = new URL(v);
        if (u.username || u.password || !/^[\x21-\x7e]+$/.test(v)) return false;
        return u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
      } catch {
        return false;
      }
    }, 'must be an https:// URL (http only for localhost)');

const privacyUrl = webPage(2000).describe('The privacy policy: https (http only for localhost)');

const installUrl = webPage(2048).describe(
  "Optional: the app's page that starts an install with its own state and PKCE (https, http only for localhost). " +
    "The marketplace's Install button leads there; without it, to the distribution URL.",
);

/** The text fields of a draft, each optional until submission; `scopes` only for a published app's change. */
export function draftFields(registry: Readonly<Record<string, string>>) {
  return z.object({
    tagline: optional(tagline),
    description: optional(description),
    category: optional(category),
    support_email: optional(supportEmail),
    privacy_url: optional(privacyUrl),
    install_url: optional(installUrl),
    scopes: scopeList(registry)
      .optional()
      .describe('For a published app: the scopes to ask for with this change'),
  });
}

export type DraftFieldsInput = z.input<ReturnType<typeof draftFields>>;

/** The developer's draft as stored on apps.listing_draft: any part of a listing, and scopes for a change. */
export type ListingDraft = Partial<ListingFields> & { scopes?: string[] };

/** The form's field names in the order the Listing tab shows them. */
export const LISTING_FIELD_ORDER = [
  'tagline',
  'description',
  'category',
  'icon',
  'screenshots',
  'support_email',
  'privacy_url',
  'install_url',
  'scopes',
] as const;

export const LISTING_LABELS: Record<string, string> = {
  tagline: 'Tagline',
  description: 'Description',
  category: 'Category',
  icon: 'Icon',
  screenshots: 'Screenshots',
  support_email: 'Support email',
  privacy_url: 'Privacy policy URL',
  install_url: 'Install URL',
  scopes: 'Scopes',
  reason: 'Reason',
};

const complete = z.object({
  tagline,
  description,
  category,
  icon_image_id: z.string({ error: 'upload a square icon of at least 128×128 pixels' }),
  screenshot_image_ids: z
    .array(z.string(), { error: 'upload at least one screenshot' })
    .min(1, 'upload at least one screenshot')
    .max(5, 'at most 5 screenshots'),
  support_email: supportEmail,
  privacy_url: privacyUrl,
  install_url: installUrl.optional(),
});

const WIRE_NAME: Record<string, string> = { icon_image_id: 'icon', screenshot_image_ids: 'screenshots' };

/** The draft as a complete listing, or the missing and invalid fields by their form names. */
export function completeListing(
  draft: ListingDraft,
): { listing: ListingFields } | { errors: Record<string, string> } {
  const parsed = complete.safeParse(draft);
  if (parsed.success) return { listing: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'body');
    const field = WIRE_NAME[key] ?? key;
    errors[field] ??=
      issue.code === 'invalid_type' && WIRE_NAME[key] === undefined ? 'is required' : issue.message;
  }
  return { errors };
}

/** The admin's reason for a rejection: what the developer reads. */
export const rejection = z.object({
  reason: z
    .string({ error: 'say why, so the developer can fix it' })
    .trim()
    .min(1, 'say why, so the developer can fix it')
    .max(2000, 'must be at most 2000 characters')
    .regex(NO_CONTROLS_MULTILINE, 'must not contain control characters'),
});
