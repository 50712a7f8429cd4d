import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Flash } from '../accounts/flash.js';
import {
  ConflictError,
  type FieldIssues,
  ForbiddenError,
  TooManyAttemptsError,
  ValidationError,
} from '../lib/errors.js';
import { parseInput } from '../lib/validation.js';

// Form bodies at the edge: a browser posts strings, a repeated field as a list. These shapes
// turn them into what the services take; the services then apply the real rules.

const MAX_FIELD = 20_000;
const once = 'must be given once';

/** One text field; missing is empty. */
export const formText = z
  .union([z.string().max(MAX_FIELD, `must be at most ${MAX_FIELD} characters`), z.array(z.unknown())])
  .optional()
  .transform((v, ctx) => {
    if (Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: once });
      return z.NEVER;
    }
    return v ?? '';
  });

/** A textarea of one entry per line. */
export const formLines = formText.transform((v) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean),
);

/** Checkboxes sharing a name: none, one or several values. */
export const formList = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(100)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** A confirmation checkbox (`value="yes"`). */
export const formCheck = z
  .union([z.literal('yes'), z.array(z.unknown()), z.string()])
  .optional()
  .transform((v) => v === 'yes');

/** A form's schema: its fields, and the CSRF token that the page kind has already checked. */
export function formSchema<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ...shape, _csrf: z.unknown().optional() });
}

/** What the person typed, to fill the form again (never a password or the CSRF token). */
function typedValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || /password/.test(k)) continue;
    values[k] =
      typeof v === 'string' ? v.slice(0, MAX_FIELD) : Array.isArray(v) ? v.slice(0, 100) : undefined;
  }
  return values;
}

function renamed(fields: FieldIssues, rename: Record<string, string> = {}): FieldIssues {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [rename[k] ?? k, v]));
}

/** Where a refused form goes back to: its page, scrolled to the form (`#id`). */
export interface FormTarget {
  /** The page the form is on. */
  page: string;
  /** The id of the form's section on that page. */
  id: string;
  /** The form's names for fields the service names otherwise (service name → form name). */
  rename?: Record<string, string>;
}

/**
 * Handles a form POST the one way every page does: parse the body with `schema`, run `act`,
 * redirect where it says with its flash. Refused input goes back to the form's page with each
 * field's message and what was typed; a conflict, a refusal by role or a rate limit is shown on
 * the form.
 * Either way the POST ends in a redirect, so a reload never repeats it.
 */
export async function handleForm<S extends z.ZodType>(
  request: FastifyRequest,
  reply: FastifyReply,
  form: FormTarget & { schema: S },
  act: (data: z.output<S>) => Promise<{ to: string; flash: Flash }>,
): Promise<FastifyReply> {
  let errors: FieldIssues | undefined;
  let alert: string | undefined;
  try {
    const { to, flash } = await act(parseInput(form.schema, request.body ?? {}));
    return reply.redirectWithFlash(request, to, flash);
  } catch (err) {
    if (err instanceof ValidationError) errors = renamed(err.fields, form.rename);
    else if (err instanceof ConflictError && err.field) errors = { [err.field]: err.message };
    else if (
      err instanceof ConflictError ||
      err instanceof ForbiddenError ||
      err instanceof TooManyAttemptsError
    )
      alert = err.message;
    else throw err;
  }
  return reply.redirectWithFlash(request, `${form.page}#${form.id}`, {
    alert,
    form: { id: form.id, errors: errors ?? {}, values: typedValues(request.body) },
  });
}

/** The state of one form on a page: its errors and typed values when it was just refused. */
export function formState(flash: Flash | undefined, id: string) {
  const mine = flash?.form?.id === id ? flash.form : undefined;
  return {
    errors: mine?.errors ?? {},
    values: mine?.values,
    alert: mine ? flash?.alert : undefined,
  };
}
