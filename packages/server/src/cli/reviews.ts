import type { QueuedReview, ReviewView } from '../apps/review/service.js';
import { CLI_ACTOR } from '../audit/service.js';
import { type Command, withServices } from './command.js';
import { printResult } from './output.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function describeReview(r: ReviewView): string {
  const decided = r.decided_at ? `, ${r.status} ${r.decided_at} by ${r.decided_by}` : '';
  return `Review ${r.id} of ${r.app_id}: ${r.status} (${r.kind.replace('_', ' ')}), scopes ${r.scopes.join(', ')}${decided}${r.reason ? `\n  reason: ${r.reason}` : ''}`;
}

const submit: Command = {
  words: ['apps', 'submit'],
  summary:
    "Submit an app's saved listing draft for review (a published app's change keeps it published until approved).",
  options: { app: { type: 'string' }, company: { type: 'string' } },
  required: ['app'],
  async run({ values, json, env, io }) {
    const review = await withServices(env, async (s) => {
      const appId = str(values.app);
      const companyId = str(values.company) || (await s.reviews.companyOf(CLI_ACTOR, appId));
      return s.reviews.submit(CLI_ACTOR, companyId, appId);
    });
    printResult(io, json, review, describeReview(review));
  },
};

function queueLine(r: QueuedReview): string {
  const kind = r.kind === 'change' ? 'change' : 'first publication';
  return `${r.id}  ${r.submitted_at}  ${r.app_name} (${r.app_id}) by ${r.company_name}, ${kind}, scopes ${r.scopes.join(', ')}`;
}

const queue: Command = {
  words: ['admin', 'reviews'],
  summary: 'List the reviews waiting for a decision, oldest first.',
  options: {},
  async run({ json, env, io }) {
    const reviews = await withServices(env, (s) => s.reviews.queue(CLI_ACTOR));
    printResult(io, json, { reviews }, reviews.map(queueLine).join('\n') || 'No reviews are waiting.');
  },
};

const approve: Command = {
  words: ['admin', 'approve'],
  summary: 'Approve a review: the listing goes live in the marketplace and the reviewed scopes apply.',
  options: { review: { type: 'string' } },
  required: ['review'],
  async run({ values, json, env, io }) {
    const review = await withServices(env, (s) => s.reviews.approve(CLI_ACTOR, str(values.review)));
    printResult(io, json, review, describeReview(review));
  },
};

const reject: Command = {
  words: ['admin', 'reject'],
  summary: 'Reject a review with a reason the developer reads.',
  options: { review: { type: 'string' }, reason: { type: 'string' } },
  required: ['review', 'reason'],
  async run({ values, json, env, io }) {
    const review = await withServices(env, (s) =>
      s.reviews.reject(CLI_ACTOR, str(values.review), { reason: values.reason }),
    );
    printResult(io, json, review, describeReview(review));
  },
};

export const reviewCommands: Command[] = [submit, queue, approve, reject];
