import { z } from 'zod';
import { NO_CONTROLS_MULTILINE, plainText } from '../lib/validation.js';
import { ipLiteral, isPublicAddress } from '../webhooks/addresses.js';

// Input rules for apps, shared by the portal, the developer API and the CLI.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// Schemes that would run code, read local data or reach into the browser or the OS instead of
// an app.
const FORBIDDEN_SCHEMES = new Set([
  'javascript',
  'data',
  'vbscript',
  'file',
  'blob',
  'about',
  'view-source',
  'ws',
  'wss',
  'intent',
  'jar',
  'filesystem',
  'chrome',
  'ftp',
  'mailto',
  'tel',
  'sms',
]);
export const LIMITS = { redirectUrls: 10, origins: 10, urlLength: 2000, scopes: 50 } as const;

// RFC 3986 characters only: ASCII, no quotes, angle brackets, braces, backslash or spaces, so a
// stored URL is what a browser sends back and cannot be mistaken for another on a page.
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?[\]@!$&'()*+,;=%]+$/;

/** Why `value` is not an acceptable redirect URL, or undefined when it is (RFC 6749 §3.1.2, RFC 8252 §7). */
export function redirectUrlProblem(value: string): string | undefined {
  if (value.length > LIMITS.urlLength) return `must be at most ${LIMITS.urlLength} characters`;
  if (value.includes('#')) return 'must not contain a fragment (#)'; // RFC 6749 §3.1.2
  if (!URL_CHARACTERS.test(value)) {
    return 'must contain only URL characters (ASCII, no spaces or quotes; use punycode for international names)';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL, such as https://example.com/callback';
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https' || scheme === 'http') return webRedirectProblem(value, url, scheme);
  if (FORBIDDEN_SCHEMES.has(scheme)) return `must not use the ${scheme}: scheme`;
  // Custom schemes for native apps and extensions: myapp://callback, chrome-extension://<id>/cb.
  return undefined;
}

function webRedirectProblem(value: string, url: URL, scheme: string): string | undefined {
  if (!value.toLowerCase().startsWith(`${scheme}://`)) return `must start with ${scheme}://`;
  if (url.username || url.password || /^[a-z]+:\/\/[^/?]*@/i.test(value))
    return 'must not contain a user name or password (@)';
  if (url.port === '0') return 'must not use port 0';
  if (scheme === 'http' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'must use https (http is allowed only for localhost, 127.0.0.1 and [::1])';
  }
  return url.hostname ? undefined : 'must name a host';
}

/** Why `value` is not a bare origin (scheme://host[:port]), or undefined when it is. */
export function originProblem(value: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([A-Za-z0-9\-._~:[\]]+)$/i.exec(value);
  if (!m || value.length > 300) return 'must be a bare origin such as https://app.example.com (no path)';
  const scheme = (m[1] ?? '').toLowerCase();
  if (scheme === 'https' || scheme === 'http') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return 'must be a bare origin such as https://app.example.com (no path)';
    }
    if (url.origin !== value) return `must be written as ${url.origin}`;
    if (scheme === 'http' && !LOOPBACK_HOSTS.has(url.hostname))
      return 'must use https (http only for localhost)';
    return undefined;
  }
  return FORBIDDEN_SCHEMES.has(scheme) ? `must not use the ${scheme}: scheme` : undefined;
}

const redirectUrl = z
  .string()
  .max(LIMITS.urlLength, `must be at most ${LIMITS.urlLength} characters`)
  .superRefine((v, ctx) => {
    const problem = redirectUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `${v.slice(0, 100)} ${problem}` });
  })
  .describe(
    'Absolute, no fragment: https, http only on localhost/127.0.0.1/[::1], or a custom scheme (myapp://cb)',
  );

const origin = z
  .string()
  .max(300, 'must be at most 300 characters')
  .superRefine((v, ctx) => {
    const problem = originProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `${v.slice(0, 100)} ${problem}` });
  })
  .describe('A bare origin such as https://app.example.com');

/** A web address shown or called by Porter: https only (http for loopback, in development). */
const webUrl = z
  .string()
  .trim()
  .max(LIMITS.urlLength, `must be at most ${LIMITS.urlLength} characters`)
  .regex(URL_CHARACTERS, 'must contain only URL characters (ASCII, no spaces or quotes)')
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
    } catch {
      return false;
    }
  }, 'must be an https:// URL');

const optionalUrl = z.union([z.literal('').transform(() => null), webUrl, z.null()]).optional();

/**
 * Why Porter may not POST webhooks to `value`, or undefined: https to a public host, unless the
 * operator allows private addresses (development), when http and local hosts are allowed too.
 */
export function webhookUrlProblem(value: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an https:// URL';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.hash) return 'must not contain a fragment (#)';
  if (allowPrivate) return /^https?:$/.test(url.protocol) ? undefined : 'must be an http:// or https:// URL';
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  // A host name is resolved and checked at each delivery; an address can be refused now.
  const literal = ipLiteral(url.hostname);
  return literal !== undefined && !isPublicAddress(literal)
    ? 'must be a public address (not private, loopback or link-local)'
    : undefined;
}

function webhookUrl(allowPrivate: boolean) {
  const url = z
    .string()
    .trim()
    .max(LIMITS.urlLength, `must be at most ${LIMITS.urlLength} characters`)
    .regex(URL_CHARACTERS, 'must contain only URL characters (ASCII, no spaces or quotes)')
    .superRefine((v, ctx) => {
      const problem = webhookUrlProblem(v, allowPrivate);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('Where Porter POSTs signed webhooks: https to a public host');
  return z.union([z.literal('').transform(() => null), url, z.null()]).optional();
}

const unique = <T>(list: T[]) => [...new Set(list)];

export const redirectUrls = z
  .array(redirectUrl, { error: 'must be a list of URLs' })
  .max(LIMITS.redirectUrls, `at most ${LIMITS.redirectUrls} redirect URLs`)
  .transform(unique);

export const distribution = z.object({
  redirect_urls: redirectUrls.refine((l) => l.length > 0, 'at least one redirect URL is required'),
});

/** Scope names checked against the operator's registry: unknown scopes are refused everywhere. */
export function scopeList(registry: Readonly<Record<string, string>>) {
  return z
    .array(z.string().max(64), { error: 'must be a list of scope names' })
    .min(1, 'choose at least one scope')
    .max(LIMITS.scopes)
    .describe(`Scope names from the operator's registry: ${Object.keys(registry).join(', ')}`)
    .transform(unique)
    .superRefine((list, ctx) => {
      const unknown = list.filter((s) => !Object.hasOwn(registry, s));
      if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown scope: ${unknown.join(', ')}` });
    });
}

/**
 * Fields of an app as the developer API and the CLI take them (snake_case wire names);
 * `allowPrivateWebhooks`: the operator's development switch (PORTER_WEBHOOKS_ALLOW_PRIVATE).
 */
export function appFields(registry: Readonly<Record<string, string>>, allowPrivateWebhooks = false) {
  return z.object({
    name: plainText(z, 100),
    description: z
      .string()
      .trim()
      .max(2000, 'must be at most 2000 characters')
      .regex(NO_CONTROLS_MULTILINE, 'must not contain control characters')
      .optional(),
    logo_url: optionalUrl,
    homepage_url: optionalUrl,
    webhook_url: webhookUrl(allowPrivateWebhooks),
    scopes: scopeList(registry),
    redirect_urls: redirectUrls.optional(),
    allowed_origins: z
      .array(origin)
      .max(LIMITS.origins, `at most ${LIMITS.origins} origins`)
      .transform(unique)
      .optional(),
  });
}

export type AppFields = z.output<ReturnType<typeof appFields>>;
export type AppFieldsInput = z.input<ReturnType<typeof appFields>>;

/** The longest a previous client secret may keep working after a regeneration: 24 hours. */
export const MAX_OVERLAP_MINUTES = 1440;

/**
 * How long the previous client secret keeps working after a regeneration, in minutes: `none`
 * (the default), `1h`, `24h`, `90m`, or a number of minutes, up to 24 hours.
 */
export const keepOld = z
  .union([z.number(), z.string().trim().toLowerCase().max(10)])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '' || value === 'none') return 0;
    const match = typeof value === 'number' ? null : /^(\d{1,4})([mh]?)$/.exec(value);
    const minutes =
      typeof value === 'number' ? value : match ? Number(match[1]) * (match[2] === 'h' ? 60 : 1) : Number.NaN;
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_OVERLAP_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        message: 'choose none, 1h, 24h or a number of minutes from 0 to 1440',
      });
      return z.NEVER;
    }
    return minutes;
  })
  .describe('How long the previous secret keeps working: none (default), 1h, 24h, or minutes up to 1440');

export const regenerateSecret = z.object({ keep_old: keepOld });
