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

/**
 * No control characters (PostgreSQL refuses NUL; the others only hide things) and no bidi
 * overrides, which could make a name read differently on a consent page (U+202A–U+202E, U+2066–U+2069).
 */
export const NO_CONTROLS = /^[^\p{Cc}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]*$/u;

/** Like NO_CONTROLS, but allowing line breaks and tabs in longer text. */
export const NO_CONTROLS_MULTILINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]*$/u;

/** Text a person typed: trimmed, non-empty, bounded, no control characters. */
export function plainText(z_: typeof z, max: number) {
  return z_
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROLS, 'must not contain control characters');
}
