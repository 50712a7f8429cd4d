import { CLI_ACTOR } from '../audit/service.js';
import { MailService } from '../mail/mailer.js';
import { type Command, withServices } from './command.js';
import { printResult } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

const listCompanies: Command = {
  words: ['company', 'list'],
  summary: 'List every company, oldest first, with its region and number of members.',
  options: {},
  async run({ json, env, io }) {
    const companies = await withServices(env, (s) => s.accounts.allCompanies());
    const out = companies.map((c) => ({
      id: c.id,
      name: c.name,
      region: c.region,
      test: c.is_test === 1,
      members: c.members,
      created_at: c.created_at,
    }));
    const human = out.map(
      (c) =>
        `${c.id}  ${c.region.padEnd(6)} ${String(c.members).padStart(3)} member(s)  ${c.name}${c.test ? ' (test)' : ''}`,
    );
    printResult(io, json, { companies: out }, human.join('\n') || 'No companies yet.');
  },
};

const listUsers: Command = {
  words: ['user', 'list'],
  summary: 'List every user, oldest first, and whether their e-mail address is confirmed.',
  options: {},
  async run({ json, env, io }) {
    const users = await withServices(env, (s) => s.accounts.allUsers());
    const out = users.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      verified: u.email_verified_at !== null,
      created_at: u.created_at,
    }));
    const human = out.map((u) => `${u.id}  ${u.email}  ${u.name}${u.verified ? '' : '  (unconfirmed)'}`);
    printResult(io, json, { users: out }, human.join('\n') || 'No users yet.');
  },
};

const listMembers: Command = {
  words: ['member', 'list'],
  summary: "List a company's members with their roles, owners first.",
  options: { company: { type: 'string' } },
  required: ['company'],
  async run({ values, json, env, io }) {
    const members = await withServices(env, (s) => s.members.list(CLI_ACTOR, str(values.company)));
    const out = members.map((m) => ({
      id: m.id,
      email: m.email,
      name: m.name,
      role: m.role,
      joined_at: m.created_at,
    }));
    const human = out.map((m) => `${m.id}  ${m.role.padEnd(6)}  ${m.email}  ${m.name}`);
    printResult(io, json, { members: out }, human.join('\n') || 'No members.');
  },
};

const createInvite: Command = {
  words: ['invite', 'create'],
  summary:
    'Invite an e-mail address to a company with a role (owner, admin or member): the link, single use for seven days, is mailed (or written to the log without SMTP_URL). An existing pending invitation of the address is renewed.',
  options: { company: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } },
  required: ['company', 'email', 'role'],
  async run({ values, json, env, io }) {
    const { sent, mode } = await withServices(env, async (s, config) => ({
      sent: await s.invitations.invite(CLI_ACTOR, str(values.company), {
        email: str(values.email),
        role: str(values.role),
      }),
      mode: MailService.mode(config),
    }));
    const out = { id: sent.id, email: sent.email, role: sent.role, expires_at: sent.expiresAt, mail: mode };
    const where = mode === 'smtp' ? 'mailed' : 'written to the log (no SMTP_URL)';
    printResult(
      io,
      json,
      out,
      `Invited ${out.email} as ${out.role} (${out.id}); the link was ${where}, valid until ${out.expires_at}`,
    );
  },
};

/** `porter company list`, `porter user list`, `porter member list`, `porter invite create`. */
export const memberCommands: Command[] = [listCompanies, listUsers, listMembers, createInvite];
