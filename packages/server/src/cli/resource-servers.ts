import { type Command, withServices } from './command.js';
import { printResult } from './output.js';

/** `porter resource-server create`: a credential an operator's own API uses to introspect tokens. */
export const resourceServerCommands: Command[] = [
  {
    words: ['resource-server', 'create'],
    summary:
      'Create a resource-server credential (porter_rs_…) for POST /oauth/introspect, used as a bearer token. Shown once.',
    options: { name: { type: 'string' } },
    required: ['name'],
    async run({ values, json, env, io }) {
      const created = await withServices(env, (s) =>
        s.introspection.createResourceServer({ name: values.name }),
      );
      printResult(
        io,
        json,
        { id: created.id, name: created.name, secret: created.secret },
        `Created resource server ${created.name} (${created.id}), shown once: store it now\n${created.secret}`,
      );
    },
  },
];
