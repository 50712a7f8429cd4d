import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldIssues, ValidationError } from '../../lib/errors.js';
import type { SafeHtml } from '../../web/html.js';
import { sendPage } from '../../web/layout.js';

/**
 * A filtered list's page: `read` gets the query string, `view` renders the list or, when the
 * service refused a filter value, the form with each field's error (a 400, never an error page).
 */
export function listPage<T>(
  app: FastifyInstance,
  path: string,
  title: string,
  read: (request: FastifyRequest, query: Record<string, unknown>) => Promise<T>,
  view: (opts: { query: Record<string, unknown>; errors: FieldIssues; result: T | undefined }) => SafeHtml,
) {
  app.get(path, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    let result: T | undefined;
    let errors: FieldIssues = {};
    try {
      result = await read(request, query);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.fields;
    }
    const body = view({ query, errors, result });
    return sendPage(request, reply, { title, body, status: result === undefined ? 400 : 200 });
  });
}
