import type { z } from 'zod';
import { type FieldIssues, ValidationError } from './errors.js';

/** Parses untrusted input with `schema`; on failure throws ValidationError naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldIssues = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'body';
    fields[field] ??= issue.message;
  }
  throw new ValidationError(fields);
}

/** Text a person typed: trimmed, non-empty, bounded, no control characters. */
export function plainText(z_: typeof z, max: number) {
  return z_
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
}
