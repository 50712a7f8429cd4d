import { z } from 'zod';
import { DEFAULT_SCOPES, SCOPE_NAME } from './apps/scopes.js';

/** Where the data lives: the embedded SQLite file (default) or a PostgreSQL server. */
export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  /** External base URL; also the OAuth issuer (RFC 8414, RFC 9207). No trailing slash. */
  publicUrl: string;
  database: DatabaseTarget;
  /** Seed demo data at start: `true` forces it, `'auto'` seeds an empty embedded database only. */
  demo: boolean | 'auto';
  codeTtlSeconds: number;
  sessionTtlSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Which proxies' X-Forwarded-For to believe: none (false), a hop count, or their addresses. */
  trustProxy: false | number | string;
  signIn: { maxFailuresPerAccount: number; maxFailuresPerIp: number; windowSeconds: number };
  /** Region → the API base URL installations in that region use; absent regions use publicUrl. */
  regions: Readonly<Record<string, string>>;
  /** The scope registry: name → the plain words shown to a customer. */
  scopes: Readonly<Record<string, string>>;
  /** Who may register: anyone, only through an invitation, or nobody (the operator's CLI). */
  signUp: SignUpMode;
  /** Outgoing mail: through SMTP when `smtpUrl` is set, else written to the log. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Requests per window per bearer credential on the protected API; null when turned off. */
  rateLimit: RateLimit | null;
  /** Redis shared by every Porter process (rate limits); absent: each process counts alone. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key Porter writes, so several deployments can share one Redis. */
  redisPrefix: string;
  /** `/metrics`: the bearer secret it asks for and/or the separate port it is served on. */
  metrics: { token: string | undefined; port: number | undefined };
  /** How often the daily API call counts are written to the database, in milliseconds. */
  usageFlushMs: number;
  /** Outgoing webhooks (webhooks/): timeouts, polling, backoff and the private-address switch. */
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /** Deliver to private, loopback and link-local addresses (and http:// URLs): development only. */
  allowPrivate: boolean;
  /** Connect and total time allowed for one delivery, in milliseconds. */
  timeoutMs: number;
  /** How often an idle process looks for due deliveries, in milliseconds. */
  pollMs: number;
  /** Multiplies the retry schedule (1 = 10 s … 8 h); tests shrink it. */
  backoffScale: number;
}

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export type SignUpMode = 'open' | 'invite' | 'closed';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const scopeMap = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of scope name to description' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().regex(SCOPE_NAME, 'scope names look like events:write'),
      z.string().min(1, 'each scope needs a description').max(200),
    ),
  );

const regionMap = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of region to API base URL' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().regex(/^[A-Z]{2,6}$/, 'regions look like US or EU'),
      z
        .url({ protocol: /^https?$/, error: 'each region needs an http(s) API base URL' })
        .transform((u) => u.replace(/\/+$/, '')),
    ),
  );

const WINDOWS: Record<string, number> = { second: 1, minute: 60, hour: 3600 };

/** `off`, or `N/second|minute|hour` (`N` alone is per minute). */
const rateLimit = z
  .string()
  .regex(/^(off|\d{1,10}(\/(second|minute|hour))?)$/, 'must be off or N/second, N/minute or N/hour (N ≥ 1)')
  .transform((v): RateLimit | null => {
    if (v === 'off') return null;
    const [count, window = 'minute'] = v.split('/');
    return { limit: Number(count), windowSeconds: WINDOWS[window] ?? 60 };
  })
  .refine((v) => v === null || v.limit >= 1, 'must be off or N/second, N/minute or N/hour (N ≥ 1)');

const schema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z.string().min(1).default('file:./data/porter.db'),
  PORTER_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PORTER_DEMO: flag.optional(),
  PORTER_CODE_TTL: int(10, 3600).default(120),
  PORTER_SESSION_TTL: int(300, 60 * 60 * 24 * 90).default(60 * 60 * 24 * 14),
  PORTER_SIGNIN_MAX_FAILURES: int(1, 1000).default(5),
  PORTER_SIGNIN_MAX_FAILURES_PER_IP: int(1, 100000).default(50),
  PORTER_SIGNIN_WINDOW: int(10, 86400).default(900),
  PORTER_TRUST_PROXY: z
    .string()
    .regex(
      /^(\d{1,2}|[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*)$/,
      'must be 0, a number of proxy hops, or proxy addresses/CIDRs separated by commas',
    )
    .default('0')
    .transform((v) => (/^\d+$/.test(v) ? (Number(v) === 0 ? (false as const) : Number(v)) : v)),
  PORTER_SCOPES: scopeMap.optional(),
  PORTER_EXTRA_SCOPES: scopeMap.optional(),
  PORTER_REGIONS: regionMap.optional(),
  PORTER_SIGNUP: z.enum(['open', 'invite', 'closed'], { error: 'must be open, invite or closed' }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  PORTER_MAIL_FROM: z
    .string()
    .trim()
    .min(3)
    .max(320)
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address such as "Porter <porter@example.com>"')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORTER_RATE_LIMIT: rateLimit.default({ limit: 6000, windowSeconds: 60 }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  PORTER_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, colons, dashes and underscores (1–64)')
    .default('porter'),
  PORTER_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').max(200).optional(),
  PORTER_METRICS_PORT: int(1, 65535).optional(),
  PORTER_USAGE_FLUSH: int(1, 3600).default(5),
  PORTER_WEBHOOKS_ALLOW_PRIVATE: flag.default(false),
  PORTER_WEBHOOKS_TIMEOUT: int(1, 60).default(10),
  PORTER_WEBHOOKS_POLL_MS: int(50, 60_000).default(1000),
  PORTER_WEBHOOKS_BACKOFF_SCALE: z.coerce.number().min(0.0001).max(100).default(1),
});

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[name] ?? '')})`);
  }
  const e = parsed.data;
  const publicUrl = (e.PORTER_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  if (e.SMTP_URL && !e.PORTER_MAIL_FROM)
    throw new ConfigError('PORTER_MAIL_FROM: is required with SMTP_URL (the address mails come from)');
  const database = parseDatabaseUrl(e.DATABASE_URL);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    database,
    demo: e.PORTER_DEMO ?? 'auto',
    codeTtlSeconds: e.PORTER_CODE_TTL,
    sessionTtlSeconds: e.PORTER_SESSION_TTL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.PORTER_TRUST_PROXY,
    signIn: {
      maxFailuresPerAccount: e.PORTER_SIGNIN_MAX_FAILURES,
      maxFailuresPerIp: e.PORTER_SIGNIN_MAX_FAILURES_PER_IP,
      windowSeconds: e.PORTER_SIGNIN_WINDOW,
    },
    regions: e.PORTER_REGIONS ?? {},
    scopes: { ...(e.PORTER_SCOPES ?? DEFAULT_SCOPES), ...e.PORTER_EXTRA_SCOPES },
    // The embedded default is a developer's own machine; a PostgreSQL deployment opens up only when told.
    signUp: e.PORTER_SIGNUP ?? (database.dialect === 'postgres' ? 'invite' : 'open'),
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.PORTER_MAIL_FROM ?? `Porter <porter@${new URL(publicUrl).hostname}>`,
    },
    rateLimit: e.PORTER_RATE_LIMIT,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.PORTER_REDIS_PREFIX,
    metrics: { token: e.PORTER_METRICS_TOKEN, port: e.PORTER_METRICS_PORT },
    usageFlushMs: e.PORTER_USAGE_FLUSH * 1000,
    webhooks: {
      allowPrivate: e.PORTER_WEBHOOKS_ALLOW_PRIVATE,
      timeoutMs: e.PORTER_WEBHOOKS_TIMEOUT * 1000,
      pollMs: e.PORTER_WEBHOOKS_POLL_MS,
      backoffScale: e.PORTER_WEBHOOKS_BACKOFF_SCALE,
    },
  };
}

/** `postgres://…` or `postgresql://…` selects PostgreSQL; `file:PATH`, `sqlite:PATH` or a bare path SQLite. */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(`DATABASE_URL: not a valid PostgreSQL URL`);
    }
    return { dialect: 'postgres', url: value };
  }
  const path = value.replace(/^(file|sqlite):(\/\/)?/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && path === value) {
    throw new ConfigError(`DATABASE_URL: unsupported scheme (use postgres://… or file:./path.db)`);
  }
  if (path === '') throw new ConfigError('DATABASE_URL: empty SQLite path');
  return { dialect: 'sqlite', path };
}
