import { z } from 'zod';
import type { AppStatus } from '../db/schema.js';
import { isId } from '../lib/ids.js';
import { NO_CONTROLS, NO_CONTROLS_MULTILINE } from '../lib/validation.js';

// The admin area's inputs (page queries, forms and CLI options arrive as strings), parsed once
// by the admin service. Empty means "not filtered".

/** Statuses an admin filters the app list by (deleted apps are not listed). */
export const LISTED_STATUSES = [
  'private',
  'unlisted',
  'in_review',
  'published',
  'rejected',
  'suspended',
] as const satisfies readonly AppStatus[];

/** One query-string value: a repeated parameter is refused, missing or blank is undefined. */
const single = (max: number) =>
  z
    .union([z.string(), z.array(z.unknown())])
    .optional()
    .transform((v, ctx) => {
      if (Array.isArray(v)) {
        ctx.addIssue({ code: 'custom', message: 'must be given once' });
        return z.NEVER;
      }
      const trimmed = v?.trim() ?? '';
      return trimmed === '' ? undefined : trimmed;
    })
    .pipe(
      z
        .string()
        .max(max, `must be at most ${max} characters`)
        .regex(NO_CONTROLS, 'must not contain control characters')
        .optional(),
    );

/** A page number, 1 when absent. */
const pageNumber = single(6).pipe(
  z
    .string()
    .regex(/^[1-9][0-9]*$/, 'must be a page number (1, 2, …)')
    .transform(Number)
    .optional()
    .transform((n) => n ?? 1),
);

export const appListQuery = z.object({
  status: single(20).pipe(
    z.enum(LISTED_STATUSES, { error: `must be one of ${LISTED_STATUSES.join(', ')}` }).optional(),
  ),
  /** Part of the app's name, or its exact client ID. */
  q: single(200),
  page: pageNumber,
});
export type AppListQuery = z.output<typeof appListQuery>;

export const companyListQuery = z.object({ q: single(200), page: pageNumber });
export type CompanyListQuery = z.output<typeof companyListQuery>;

/** `YYYY-MM-DD` (a UTC day) or a full ISO-8601 time; answered as an ISO time or a day. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const when = single(40).pipe(
  z
    .string()
    .refine((v) => (DAY.test(v) || TIME.test(v)) && !Number.isNaN(Date.parse(v)), {
      message: 'must be a date (YYYY-MM-DD) or an ISO time (2026-01-31T12:00Z)',
    })
    .optional(),
);

/** Where a `from` starts and an `until` ends: a day covers all of it (UTC). */
export function timeBound(value: string, edge: 'from' | 'to'): string {
  if (!DAY.test(value)) return new Date(value).toISOString();
  const start = Date.parse(`${value}T00:00:00.000Z`);
  return new Date(edge === 'from' ? start : start + 86_400_000).toISOString();
}

export const auditQuery = z
  .object({
    /** A company id (cmp_…) or part of its name. */
    company: single(200),
    app: single(40).pipe(
      z
        .string()
        .refine((v) => isId(v, 'app'), 'must be an app id (app_…)')
        .optional(),
    ),
    /** An e-mail address, or `cli` for the operator's command line. */
    actor: single(320).pipe(
      z
        .string()
        .refine((v) => v === 'cli' || /^[^@\s]+@[^@\s]+$/.test(v), 'must be an e-mail address or cli')
        .optional(),
    ),
    /** An action or the start of one: `app.` or `app.suspended`. */
    action: single(100).pipe(
      z
        .string()
        .regex(/^[a-z0-9_.]+$/, 'must be an action such as app.suspended, or its start such as app.')
        .optional(),
    ),
    from: when,
    to: when,
    /** The keyset cursor: events older than this audit id. */
    before: single(40).pipe(
      z
        .string()
        .regex(/^aud_[0-9a-z]{21}$/, 'must be an audit event id')
        .optional(),
    ),
    limit: single(4).pipe(
      z
        .string()
        .regex(/^[0-9]+$/, 'must be a number from 1 to 500')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 500, 'must be a number from 1 to 500')
        .optional(),
    ),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && timeBound(q.from, 'from') >= timeBound(q.to, 'to'))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after From' });
  });
export type AuditQueryInput = z.input<typeof auditQuery>;
export type AuditQuery = z.output<typeof auditQuery>;

/** Why an app is suspended: told to its developer on their app page. */
export const suspendInput = z.object({
  reason: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required: the developer reads it')
    .max(1000, 'must be at most 1000 characters')
    .regex(NO_CONTROLS_MULTILINE, 'must not contain control characters'),
});
