import { z } from 'zod';

/** RFC 9457 problem details as the JSON APIs answer them (web/errors.ts), for the API docs. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  errors: z.record(z.string(), z.string()).optional(),
});

/** RFC 6750 §3: what the bearer check answers (with a WWW-Authenticate challenge). */
export const bearerError = z.object({ error: z.string(), error_description: z.string() });
