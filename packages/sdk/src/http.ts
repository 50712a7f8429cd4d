import { PorterApiError } from './errors.js';
import { retryAfterMs } from './retry.js';

/** The fetch the SDK calls: the global one unless a test or a proxy setup passes another. */
export type Fetch = typeof fetch;

/** A response body as a JSON object; anything else (an HTML error page, nothing) as `{}`. */
export async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!text) return {};
  try {
    const json: unknown = JSON.parse(text);
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The first GraphQL error's code and message, when the body is a GraphQL error answer. */
function graphqlError(json: Record<string, unknown>): { code?: unknown; message?: unknown } {
  const first = Array.isArray(json.errors) ? (json.errors[0] as Record<string, unknown>) : undefined;
  const extensions = (first?.extensions ?? {}) as Record<string, unknown>;
  return { code: extensions.code, message: first?.message };
}

/**
 * A failed answer as a PorterApiError, whichever shape Porter used: RFC 9457 problem
 * (`code`, `title`), RFC 6750 / 6749 (`error`, `error_description`) or GraphQL (`errors`).
 */
export function apiError(res: Response, json: Record<string, unknown>, what: string): PorterApiError {
  const gql = graphqlError(json);
  const code = json.code ?? json.error ?? gql.code ?? 'http_error';
  const message = json.error_description ?? json.title ?? gql.message ?? `${what} answered ${res.status}`;
  const wait = retryAfterMs(res.headers.get('retry-after'));
  return new PorterApiError(
    res.status,
    String(code),
    String(message),
    wait === undefined ? undefined : Math.ceil(wait / 1000),
  );
}

/** `base` and `path` joined, keeping any path prefix of `base` (`https://x/porter` + `/v1/me`). */
export function endpoint(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, '')}${path}`);
}
