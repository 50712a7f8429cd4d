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

export const adminCommands: Command[] = [grantOrRevoke(true), grantOrRevoke(false), listAdmins];
