import { type Introspection, Introspector, type IntrospectorOptions } from './introspection.js';
import type { Installation } from './types.js';

export interface PorterAuthOptions extends IntrospectorOptions {
  /** Scopes every request must carry (all of them); none means any active token passes. */
  scopes?: readonly string[];
  /** The realm of the WWW-Authenticate challenge (default "api"). */
  realm?: string;
  /** Called when Porter could not be asked (the request was answered 503). */
  onError?: (err: unknown) => void;
}

/** Who a checked request acts for, set on the request as `porter`. */
export interface PorterAuth {
  companyId: string;
  scopes: string[];
  clientId: string | undefined;
  credential: 'api_key' | 'access_token';
  installation: Installation | undefined;
}

/** The parts of a request the middleware reads: Node's, Express's and Fastify's all have them. */
interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  porter?: PorterAuth;
}

/** A Fastify reply: it has `raw`, Node's response underneath. */
interface FastifyReplyLike {
  raw: unknown;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): unknown;
}

/** A Fastify reply or a Node/Express response. */
type ReplyLike =
  | FastifyReplyLike
  | {
      statusCode: number;
      setHeader(name: string, value: string): unknown;
      end(body: string): unknown;
    };

/** RFC 6750 §2.1: `Authorization: Bearer <token>`, the scheme case-insensitive. */
function bearerOf(req: RequestLike): string | undefined {
  const value = req.headers.authorization;
  const match = typeof value === 'string' ? /^Bearer +([\x21-\x7e]+) *$/i.exec(value) : null;
  return match?.[1];
}

const quoted = (s: string) => `"${s.replace(/["\\]/g, '')}"`;

function challenge(realm: string, params: Record<string, string>): string {
  const parts = [`realm=${quoted(realm)}`, ...Object.entries(params).map(([k, v]) => `${k}=${quoted(v)}`)];
  return `Bearer ${parts.join(', ')}`;
}

function answer(res: ReplyLike, status: number, headers: Record<string, string>, body: unknown) {
  const all = { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' };
  const text = JSON.stringify(body);
  if ('raw' in res) {
    let reply = res.code(status);
    for (const [k, v] of Object.entries(all)) reply = reply.header(k, v);
    reply.send(text);
    return;
  }
  res.statusCode = status;
  for (const [k, v] of Object.entries(all)) res.setHeader(k, v);
  res.end(text);
}

/** The refusal of RFC 6750 §3.1 for an introspection, or undefined when the request may pass. */
function refusal(
  info: Introspection | undefined,
  required: readonly string[],
): { status: number; params: Record<string, string>; body?: Record<string, string> } | undefined {
  // RFC 6750 §3.1: no error code in the challenge when the request had no credential at all.
  if (!info)
    return {
      status: 401,
      params: {},
      body: { error: 'invalid_token', error_description: 'A bearer token is required.' },
    };
  if (!info.active)
    return {
      status: 401,
      params: {
        error: 'invalid_token',
        error_description: 'The access token is invalid, revoked or unknown.',
      },
    };
  const granted = info.scope.split(' ');
  const missing = required.filter((s) => !granted.includes(s));
  if (missing.length === 0) return undefined;
  return {
    status: 403,
    params: {
      error: 'insufficient_scope',
      error_description: `This request needs the ${missing.join(' ')} scope.`,
      scope: required.join(' '),
    },
  };
}

function authOf(info: Extract<Introspection, { active: true }>): PorterAuth {
  return {
    companyId: info.company_id,
    scopes: info.scope.split(' ').filter(Boolean),
    clientId: info.client_id,
    credential: info.credential,
    installation: info.installation,
  };
}

/**
 * Guards a route of the operator's own API with Porter tokens, by introspection (RFC 7662)
 * with a short cache. Works as a Fastify `preHandler` and as an Express/Connect middleware:
 * a passing request gets `req.porter` and goes on; any other is answered 401 or 403 with an
 * RFC 6750 `WWW-Authenticate` challenge, or 503 when Porter cannot be asked.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function porterAuth(options: PorterAuthOptions) {
  const introspector = new Introspector(options);
  const realm = options.realm ?? 'api';
  const required = options.scopes ?? [];
  // A plain function of three parameters: Fastify then passes `done`, Express `next`.
  return function porterAuthMiddleware(req: RequestLike, res: ReplyLike, next: () => void): void {
    const token = bearerOf(req);
    const lookup = token === undefined ? Promise.resolve(undefined) : introspector.introspect(token);
    lookup.then(
      (info) => {
        const refused = refusal(info, required);
        if (!refused) {
          req.porter = authOf(info as Extract<Introspection, { active: true }>);
          next();
          return;
        }
        const body = refused.body ?? refused.params;
        answer(res, refused.status, { 'www-authenticate': challenge(realm, refused.params) }, body);
      },
      (err: unknown) => {
        options.onError?.(err);
        const body = {
          error: 'temporarily_unavailable',
          error_description: 'The token could not be checked.',
        };
        answer(res, 503, { 'retry-after': '5' }, body);
      },
    );
  };
}
