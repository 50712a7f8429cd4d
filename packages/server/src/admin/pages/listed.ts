import { type FieldIssues, ValidationError } from '../../lib/errors.js';

/**
 * Runs a filtered list's read: refused filter values (from the query string) come back as field
 * errors to show next to the filter form with a 400, never as an error page.
 */
export async function listed<T>(
  read: () => Promise<T>,
): Promise<{ result: T | undefined; errors: FieldIssues; status: number }> {
  try {
    return { result: await read(), errors: {}, status: 200 };
  } catch (err) {
    if (err instanceof ValidationError) return { result: undefined, errors: err.fields, status: 400 };
    throw err;
  }
}
