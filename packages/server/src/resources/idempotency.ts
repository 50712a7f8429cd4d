import { createHash } from 'node:crypto';
import type { Database, Executor } from '../db/database.js';
import { DomainError } from '../lib/errors.js';
import { isoAfter, nowIso } from '../lib/time.js';
import * as repo from './repo.js';

/** Who writes: the credential's company and app. Idempotency keys are kept per (company, app). */
export interface Caller {
  companyId: string;
  appId: string;
}

/** The answer of a write: its status and body, and whether it is a stored one given again. */
export interface Answer<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** What a write did: its body, and the subscriber it was about (a privacy deletion drops it). */
export interface Written<T> {
  body: T;
  subscriberId: string | null;
}

/** How long an answer is kept for retries with the same Idempotency-Key. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** The same Idempotency-Key sent again with another request. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'idempotency_key_reused';
  readonly status = 422;
  constructor() {
    super('This Idempotency-Key was used with another request; use a new key for a new request.');
  }
}

function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256')
    .update(`${operation}\n${JSON.stringify(input)}`)
    .digest('hex');
}

/**
 * Runs a write once per Idempotency-Key: the key is claimed, the write done and its answer
 * stored in one transaction, so a retry (even a concurrent one) gets the first answer and never
 * writes twice; the same key with another request is refused. Without a key the write just runs.
 */
export async function writeOnce<T>(
  db: Database,
  caller: Caller,
  request: { key: string | undefined; operation: string; input: unknown; status: number },
  write: (trx: Executor, now: string) => Promise<Written<T>>,
): Promise<Answer<T>> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    if (request.key === undefined)
      return { status: request.status, body: (await write(trx, now)).body, replayed: false };
    const ref = { company_id: caller.companyId, app_id: caller.appId, key: request.key };
    const print = fingerprint(request.operation, request.input);
    const claim = {
      ...ref,
      fingerprint: print,
      status: 0,
      response: '',
      subscriber_id: null,
      created_at: now,
      expires_at: isoAfter(IDEMPOTENCY_TTL_SECONDS),
    };
    if (!(await repo.claimIdempotencyKey(trx, claim, now))) {
      const stored = await repo.findIdempotencyKey(trx, ref);
      if (!stored || stored.fingerprint !== print) throw new IdempotencyKeyReusedError();
      return { status: stored.status, body: JSON.parse(stored.response) as T, replayed: true };
    }
    const written = await write(trx, now);
    await repo.storeIdempotentResponse(trx, ref, {
      status: request.status,
      response: JSON.stringify(written.body),
      subscriber_id: written.subscriberId,
    });
    return { status: request.status, body: written.body, replayed: false };
  });
}

/** Drops the answers kept past their day. */
export function purgeExpiredAnswers(db: Database): Promise<void> {
  return repo.purgeExpiredIdempotencyKeys(db, nowIso());
}
