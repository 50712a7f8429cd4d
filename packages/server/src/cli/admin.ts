import { CLI_ACTOR } from '../audit/service.js';
import { type Command, withServices } from './command.js';
import { printResult } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function grantOrRevoke(admin: boolean): Command {
  return {
    words: ['admin', admin ? 'grant' : 'revoke'],
    summary: admin
      ? 'Make a user a platform admin: the admin area (reviews, suspensions, every audit event).'
      : 'Take platform admin away from a user; it stops on their next request.',
    options: { user: { type: 'string' } },
    required: ['user'],
    async run({ values, json, env, io }) {
      const result = await withServices(env, (s) => s.accounts.setPlatformAdmin(str(values.user), admin));
      const human = result.changed
        ? `${result.email} is ${admin ? 'now' : 'no longer'} a platform admin.`
        : `${result.email} already was${admin ? '' : ' not'} a platform admin.`;
      printResult(
        io,
        json,
        { user_id: result.userId, email: result.email, platform_admin: admin, changed: result.changed },
        human,
      );
    },
  };
}

const listAdmins: Command = {
  words: ['admin', 'list'],
  summary: 'List the platform admins.',
  options: {},
  async run({ json, env, io }) {
    const admins = await withServices(env, (s) => s.accounts.platformAdmins());
    const human = admins.map((a) => `${a.id}  ${a.email}  ${a.name}`).join('\n') || 'No platform admins yet.';
    printResult(io, json, { admins }, human);
  },
};

const listApps: Command = {
  words: ['admin', 'apps'],
  summary: 'List every app (not deleted), newest first: status, developer, live installs.',
  options: { status: { type: 'string' }, search: { type: 'string' }, page: { type: 'string' } },
  async run({ values, json, env, io }) {
    const page = await withServices(env, (s) =>
      s.admin.apps(CLI_ACTOR, { status: values.status, q: values.search, page: values.page }),
    );
    const human =
      page.items
        .map(
          (a) =>
            `${a.id}  ${a.status.padEnd(9)}  ${String(a.installs).padStart(4)} installs  ${a.name}  (${a.company_name})`,
        )
        .join('\n') || 'No app matches.';
    printResult(io, json, { apps: page.items, page: page.page, has_next: page.hasNext }, human);
  },
};

const listCompanies: Command = {
  words: ['admin', 'companies'],
  summary: 'List every company, newest first: region, test flag, members, apps built, apps installed.',
  options: { search: { type: 'string' }, page: { type: 'string' } },
  async run({ values, json, env, io }) {
    const page = await withServices(env, (s) =>
      s.admin.companies(CLI_ACTOR, { q: values.search, page: values.page }),
    );
    const human =
      page.items
        .map(
          (c) =>
            `${c.id}  ${c.region.padEnd(4)}  ${c.members} members  ${c.apps} apps  ${c.installed} installed  ${c.name}${c.is_test ? ' (test)' : ''}`,
        )
        .join('\n') || 'No company matches.';
    printResult(io, json, { companies: page.items, page: page.page, has_next: page.hasNext }, human);
  },
};

const suspend: Command = {
  words: ['admin', 'suspend'],
  summary:
    'Suspend an app: its API key and access tokens are refused (a running server within a second), it cannot be installed, its developers see the reason.',
  options: { app: { type: 'string' }, reason: { type: 'string' } },
  required: ['app', 'reason'],
  async run({ values, json, env, io }) {
    const result = await withServices(env, (s) =>
      s.admin.suspend(CLI_ACTOR, str(values.app), { reason: values.reason }),
    );
    printResult(
      io,
      json,
      {
        app_id: result.app.id,
        status: 'suspended',
        status_before: result.statusBefore,
        installations: result.installations,
      },
      `${result.app.name} is suspended (it was ${result.statusBefore}).`,
    );
  },
};

const unsuspend: Command = {
  words: ['admin', 'unsuspend'],
  summary: 'Lift a suspension: the app gets back its status before, and its credentials work again.',
  options: { app: { type: 'string' } },
  required: ['app'],
  async run({ values, json, env, io }) {
    const { app } = await withServices(env, (s) => s.admin.unsuspend(CLI_ACTOR, str(values.app)));
    printResult(io, json, { app_id: app.id, status: app.status }, `${app.name} is ${app.status} again.`);
  },
};

const audit: Command = {
  words: ['admin', 'audit'],
  summary: "Every company's audit log, newest first, filtered; --before ID pages to older events.",
  options: {
    company: { type: 'string' },
    app: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    before: { type: 'string' },
    limit: { type: 'string' },
  },
  async run({ values, json, env, io }) {
    const { since, until, ...rest } = values;
    const { events, next } = await withServices(env, (s) =>
      s.admin.audit(CLI_ACTOR, { ...rest, from: since, to: until }),
    );
    const human =
      events
        .map(
          (e) =>
            `${e.created_at}  ${e.action.padEnd(28)}  ${e.actor}  ${e.target_type} ${e.target_id}  ${JSON.stringify(e.details)}`,
        )
        .join('\n') || 'No event matches.';
    printResult(
      io,
      json,
      { events, next_before: next ?? null },
      next ? `${human}\nOlder: --before ${next}` : human,
    );
  },
};

export const adminCommands: Command[] = [
  grantOrRevoke(true),
  grantOrRevoke(false),
  listAdmins,
  listApps,
  listCompanies,
  suspend,
  unsuspend,
  audit,
];
