import { CLI_ACTOR } from '../audit/service.js';
import type { Command } from './command.js';
import { withServices } from './command.js';
import { printResult, UsageError } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** `porter company create`, `porter user create`, `porter member add`. */
export const accountCommands: Command[] = [
  {
    words: ['company', 'create'],
    summary:
      'Create a company (tenant). --test marks it a test company, used by developers to test installs.',
    options: {
      name: { type: 'string' },
      region: { type: 'string' },
      test: { type: 'boolean', default: false },
    },
    required: ['name'],
    async run({ values, json, env, io }) {
      const company = await withServices(env, (s) =>
        s.accounts.createCompany({
          name: str(values.name) ?? '',
          region: str(values.region),
          isTest: values.test === true,
        }),
      );
      const out = { id: company.id, name: company.name, region: company.region, test: company.is_test === 1 };
      printResult(
        io,
        json,
        out,
        `Created company ${out.name} (${out.id}), region ${out.region}${out.test ? ', test' : ''}`,
      );
    },
  },
  {
    words: ['user', 'create'],
    summary:
      'Create a user who can sign in. The password is hashed (scrypt) and never printed; --password-stdin reads it from standard input, keeping it out of the process list and shell history.',
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      name: { type: 'string' },
    },
    required: ['email'],
    async run({ values, json, env, io }) {
      if ((values.password === undefined) === (values['password-stdin'] !== true)) {
        throw new UsageError('give exactly one of --password or --password-stdin');
      }
      const password = values['password-stdin']
        ? (await io.input()).replace(/\r?\n$/, '')
        : (str(values.password) ?? '');
      const user = await withServices(env, (s) =>
        s.accounts.createUser({ email: str(values.email) ?? '', password, name: str(values.name) }),
      );
      printResult(io, json, user, `Created user ${user.email} (${user.id})`);
    },
  },
  {
    words: ['member', 'add'],
    summary: 'Add a user to a company with a role (owner, admin or member), or change their role.',
    options: { company: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } },
    required: ['company', 'user', 'role'],
    async run({ values, json, env, io }) {
      const input = {
        companyId: str(values.company) ?? '',
        email: str(values.user) ?? '',
        role: str(values.role) ?? '',
      };
      const m = await withServices(env, async (s) => {
        // A role change goes through the members' rules (the last owner stays owner).
        const user = await s.accounts.findUser(input.email);
        const member = user ? await s.accounts.roleIn(input.companyId, user.id) : undefined;
        if (!user || !member) return s.accounts.addMember(input);
        const { role } = await s.members.changeRole(CLI_ACTOR, input.companyId, user.id, input.role);
        return { companyId: input.companyId, userId: user.id, email: user.email, role };
      });
      printResult(io, json, m, `${m.email} is now ${m.role} of ${m.companyId}`);
    },
  },
];
