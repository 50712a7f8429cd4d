import { CLI_ACTOR } from '../audit/service.js';
import { type Command, type Options, withServices } from './command.js';
import { printResult } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const TARGET: Options = { company: { type: 'string' }, app: { type: 'string' } };

// The CLI records; a running Porter server sends (its worker polls the database).

const listDeliveries: Command = {
  words: ['webhooks', 'list'],
  summary: "List an app's latest webhook deliveries, newest first: status, response code, attempts.",
  options: TARGET,
  required: ['company', 'app'],
  async run({ values, json, env, io }) {
    const deliveries = await withServices(env, (s) =>
      s.webhooks.deliveries(CLI_ACTOR, str(values.company), str(values.app)),
    );
    const human = deliveries.length
      ? deliveries
          .map(
            (d) =>
              `${d.id}  ${d.created_at}  ${d.type.padEnd(18)}  ${d.status.padEnd(9)}  ${String(d.last_status_code ?? '—').padEnd(3)}  ${d.attempts} attempt(s)${d.last_error ? `  ${d.last_error}` : ''}`,
          )
          .join('\n')
      : 'No deliveries yet';
    printResult(io, json, { deliveries }, human);
  },
};

const redeliver: Command = {
  words: ['webhooks', 'redeliver'],
  summary: 'Send a delivery again (the same event id and body) as soon as a running server polls.',
  options: { ...TARGET, delivery: { type: 'string' } },
  required: ['company', 'app', 'delivery'],
  async run({ values, json, env, io }) {
    const id = str(values.delivery);
    await withServices(env, (s) => s.webhooks.redeliver(CLI_ACTOR, str(values.company), str(values.app), id));
    printResult(io, json, { id, queued: true }, `Queued ${id} for redelivery`);
  },
};

const sendTest: Command = {
  words: ['webhooks', 'test'],
  summary: "Queue a test event for the app's webhook URL.",
  options: TARGET,
  required: ['company', 'app'],
  async run({ values, json, env, io }) {
    const id = await withServices(env, (s) =>
      s.webhooks.sendTest(CLI_ACTOR, str(values.company), str(values.app)),
    );
    printResult(io, json, { id, queued: true }, `Queued test event ${id}`);
  },
};

/** `porter webhooks …`: an app's webhook deliveries, as the operator. */
export const webhookCommands: Command[] = [listDeliveries, redeliver, sendTest];
