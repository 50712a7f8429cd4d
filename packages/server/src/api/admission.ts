import type { FastifyReply, onResponseHookHandler } from 'fastify';
import type { Principal } from '../credentials/service.js';
import { RateLimitedError } from '../lib/errors.js';
import type { Signals } from '../ops/signals.js';
import type { ApiUsage } from '../usage/recorder.js';
import type { RateLimiter, RateState } from './rate-limit.js';

/**
 * What the protected API does with a credential bearerAuth accepted, before the route runs:
 * the per-credential rate limit (the call is counted for the day once answered: countCalls).
 * Calls `done` at once when everything is in memory (the default); waits only for a
 * Redis-backed limit.
 */
export type Admit = (principal: Principal, reply: FastifyReply, done: (err?: Error) => void) => void;

/**
 * The rate limit's headers (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` (seconds) once a credential has used half of its
 * window, and over the limit `429` with `Retry-After`. Not on every answer: three headers cost
 * about as much as the limit itself, on every request of a client far from its limit.
 */
function limitAnswer(reply: FastifyReply, limit: string, state: RateState, signals: Signals, half: number) {
  if (state.remaining >= half) return undefined;
  const reset = Math.max(1, Math.ceil((state.resetAt - Date.now()) / 1000));
  reply.header('ratelimit-limit', limit);
  reply.header('ratelimit-remaining', state.remaining > 0 ? state.remaining : 0);
  reply.header('ratelimit-reset', reset);
  if (state.remaining >= 0) return undefined;
  signals.rateLimited += 1;
  return new RateLimitedError(reset);
}

/** The protected API's admission: the limit, when configured. */
export function admission(limiter: RateLimiter | undefined, signals: Signals): Admit | undefined {
  if (!limiter) return undefined;
  const limit = String(limiter.limit);
  const half = limiter.limit / 2;
  return (principal, reply, done) => {
    const state = limiter.take(principal.tokenId);
    if (!(state instanceof Promise)) return done(limitAnswer(reply, limit, state, signals, half));
    state.then((s) => done(limitAnswer(reply, limit, s, signals, half)), done);
  };
}

/**
 * Counts each answered call of an accepted credential for the day, by status class (the
 * portal's chart); a call the rate limit refused (429) was not admitted and is not counted.
 */
export function countCalls(usage: ApiUsage): onResponseHookHandler {
  return (request, reply, done) => {
    if (request.principal !== undefined && reply.statusCode !== 429)
      usage.count(request.principal, reply.statusCode);
    done();
  };
}
