import { NotFoundError } from '../lib/errors.js';
import { type Command, withServices } from './command.js';
import { printResult } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** `porter dev-token create`: a personal token for the developer API, made for a user. */
export const tokenCommands: Command[] = [
  {
    words: ['dev-token', 'create'],
    summary:
      'Create a personal token for the developer API, acting for a company as a user who is its owner or admin. The token is shown once.',
    options: { user: { type: 'string' }, company: { type: 'string' }, name: { type: 'string' } },
    required: ['user', 'company'],
    async run({ values, json, env, io }) {
      const created = await withServices(env, async (s) => {
        const user = await s.accounts.findUser(str(values.user) ?? '');
        if (!user) throw new NotFoundError('User');
        const actor = { kind: 'user' as const, userId: user.id, label: user.email };
        return s.credentials.createPersonalToken(actor, str(values.company) ?? '', str(values.name) ?? 'cli');
      });
      const out = { token: created.token, id: created.id, name: created.name };
      printResult(
        io,
        json,
        out,
        `Created developer token ${out.name} (${out.id}), shown once: store it now\n${out.token}`,
      );
    },
  },
];
