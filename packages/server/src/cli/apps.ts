import type { AppsService, AppView } from '../apps/service.js';
import { auditEventView, CLI_ACTOR } from '../audit/service.js';
import { ValidationError } from '../lib/errors.js';
import { type Command, type Options, type Values, withServices } from './command.js';
import { printResult } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);

/** `--scopes "a,b"` as the list the service checks against the registry. */
const scopeNames = (v: unknown) =>
  (str(v) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

// The services name fields by their wire names; the CLI user typed options, so errors name those.
const OPTION_OF: Record<string, string> = {
  redirect_urls: 'redirect-url',
  allowed_origins: 'allowed-origin',
  logo_url: 'logo-url',
  homepage_url: 'homepage-url',
  webhook_url: 'webhook-url',
  confirm_name: 'confirm',
};

function renameFields(err: unknown): never {
  if (!(err instanceof ValidationError)) throw err;
  throw new ValidationError(
    Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [OPTION_OF[k] ?? k, v])),
  );
}

/** Runs `fn` with the apps service, as the operator at the command line. */
function withApps<T>(env: NodeJS.ProcessEnv, fn: (apps: AppsService) => Promise<T>): Promise<T> {
  return withServices(env, (s) => fn(s.apps)).catch(renameFields);
}

const target = (values: Values) => [str(values.company) ?? '', str(values.app) ?? ''] as const;

const TARGET: Options = { company: { type: 'string' }, app: { type: 'string' } };
const REDIRECT_URL: Options = { 'redirect-url': { type: 'string', multiple: true } };

function describeApp(app: AppView): string {
  const rows: [string, string | null][] = [
    ['company', app.company_id],
    ['scopes', app.scopes.join(', ')],
    ['redirect URLs', app.redirect_urls.join(', ') || null],
    ['client ID', app.client_id],
    ['distribution', app.distribution_url],
  ];
  return [
    `App ${app.name} (${app.id}), ${app.status}`,
    ...rows.filter(([, v]) => v).map(([k, v]) => `  ${k.padEnd(14)}${v}`),
  ].join('\n');
}

const ONCE = '(shown once: store it now)';

const listApps: Command = {
  words: ['apps', 'list'],
  summary: "List a company's apps, newest first.",
  options: { company: { type: 'string' } },
  required: ['company'],
  async run({ values, json, env, io }) {
    const companyId = str(values.company) ?? '';
    const apps = await withApps(env, (a) => a.list(CLI_ACTOR, companyId));
    const human = apps.length
      ? apps.map((a) => `${a.id}  ${a.status.padEnd(9)}  ${a.name}`).join('\n')
      : `No apps in ${companyId}`;
    printResult(io, json, { apps }, human);
  },
};

const createApp: Command = {
  words: ['apps', 'create'],
  summary:
    'Create a private app and its API key, shown once. --scopes is a comma-separated list; --redirect-url and --allowed-origin may be repeated.',
  options: {
    company: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    description: { type: 'string' },
    ...REDIRECT_URL,
    'allowed-origin': { type: 'string', multiple: true },
    'webhook-url': { type: 'string' },
    'logo-url': { type: 'string' },
    'homepage-url': { type: 'string' },
  },
  required: ['company', 'name', 'scopes'],
  async run({ values, json, env, io }) {
    const { app, apiKey } = await withApps(env, (a) =>
      a.create(CLI_ACTOR, str(values.company) ?? '', {
        name: str(values.name) ?? '',
        description: str(values.description),
        scopes: scopeNames(values.scopes),
        redirect_urls: list(values['redirect-url']),
        allowed_origins: list(values['allowed-origin']),
        webhook_url: str(values['webhook-url']),
        logo_url: str(values['logo-url']),
        homepage_url: str(values['homepage-url']),
      }),
    );
    const human = `${describeApp(app)}\nAPI key ${ONCE}: ${apiKey}`;
    printResult(io, json, { ...app, api_key: apiKey }, human);
  },
};

const showApp: Command = {
  words: ['apps', 'show'],
  summary: 'Show an app and its audit log (newest first).',
  options: TARGET,
  required: ['company', 'app'],
  async run({ values, json, env, io }) {
    const [companyId, appId] = target(values);
    const { app, events } = await withApps(env, async (a) => ({
      app: await a.get(CLI_ACTOR, companyId, appId),
      events: (await a.auditLog(CLI_ACTOR, companyId, appId)).map(auditEventView),
    }));
    const log = events.map((e) => `  ${e.created_at}  ${e.action}  by ${e.actor}`);
    const human = [describeApp(app), 'Audit log (newest first):', ...log].join('\n');
    printResult(io, json, { ...app, audit_log: events }, human);
  },
};

const showDebugger: Command = {
  words: ['apps', 'debugger'],
  summary:
    "The install debugger: an app's failed authorization requests and token exchanges of the last seven days, newest first, each with its cause in plain words.",
  options: TARGET,
  required: ['company', 'app'],
  async run({ values, json, env, io }) {
    const [companyId, appId] = target(values);
    const failures = await withServices(env, (s) => s.installDebugger.list(CLI_ACTOR, companyId, appId));
    const lines = failures.map((f) => `${f.created_at}  ${f.endpoint}  ${f.error}\n  ${f.message}`);
    const human = lines.length ? lines.join('\n') : `No failed installs of ${appId} in the last seven days`;
    printResult(io, json, { failures }, human);
  },
};

const enableDistribution: Command = {
  words: ['apps', 'enable-distribution'],
  summary:
    'Enable distribution: sets the redirect URLs (--redirect-url, repeatable), makes the client ID and secret (the secret shown once); the app becomes unlisted.',
  options: { ...TARGET, ...REDIRECT_URL },
  required: ['company', 'app', 'redirect-url'],
  async run({ values, json, env, io }) {
    const [companyId, appId] = target(values);
    const { app, clientSecret } = await withApps(env, (a) =>
      a.enableDistribution(CLI_ACTOR, companyId, appId, { redirect_urls: list(values['redirect-url']) }),
    );
    const human = `${describeApp(app)}\nClient secret ${ONCE}: ${clientSecret}`;
    printResult(io, json, { ...app, client_secret: clientSecret }, human);
  },
};

const regenerateSecret: Command = {
  words: ['apps', 'regenerate-secret'],
  summary:
    "Regenerate an app's client secret (shown once); the old one stops working at once, or after --keep-old (1h, 24h, 90m or minutes).",
  options: {
    ...TARGET,
    'keep-old': { type: 'string' },
  },
  required: ['company', 'app'],
  async run({ values, json, env, io }) {
    const [companyId, appId] = target(values);
    const { app, clientSecret } = await withApps(env, (a) =>
      a.regenerateClientSecret(CLI_ACTOR, companyId, appId, { keep_old: values['keep-old'] }),
    );
    const until = app.previous_client_secret?.expires_at ?? null;
    const out = {
      client_id: app.client_id ?? '',
      client_secret: clientSecret,
      previous_secret_expires_at: until,
    };
    const old = until ? `The previous secret works until ${until}.` : 'The previous secret no longer works.';
    printResult(
      io,
      json,
      out,
      `Client ID ${out.client_id}\nNew client secret ${ONCE}: ${clientSecret}\n${old}`,
    );
  },
};

const regenerateApiKey: Command = {
  words: ['apps', 'regenerate-api-key'],
  summary: "Regenerate an app's API key (shown once); the old one stops working at once.",
  options: TARGET,
  required: ['company', 'app'],
  async run({ values, json, env, io }) {
    const [companyId, appId] = target(values);
    const { apiKey } = await withApps(env, (a) => a.regenerateApiKey(CLI_ACTOR, companyId, appId));
    printResult(io, json, { api_key: apiKey }, `New API key ${ONCE}: ${apiKey}`);
  },
};

const deleteApp: Command = {
  words: ['apps', 'delete'],
  summary: "Delete an app and revoke every credential it issued. --confirm must repeat the app's name.",
  options: { ...TARGET, confirm: { type: 'string' } },
  required: ['company', 'app', 'confirm'],
  async run({ values, json, env, io }) {
    const [companyId, appId] = target(values);
    const { revokedTokens } = await withApps(env, (a) =>
      a.delete(CLI_ACTOR, companyId, appId, str(values.confirm) ?? ''),
    );
    const out = { id: appId, deleted: true, revoked_tokens: revokedTokens };
    printResult(io, json, out, `Deleted app ${appId}; revoked ${revokedTokens} credential(s)`);
  },
};

/** `porter apps …`: a developer company's apps, over AppsService, acting as the operator. */
export const appCommands: Command[] = [
  listApps,
  createApp,
  showApp,
  showDebugger,
  enableDistribution,
  regenerateSecret,
  regenerateApiKey,
  deleteApp,
];
