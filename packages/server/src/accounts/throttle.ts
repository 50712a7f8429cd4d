import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { TooManyAttemptsError } from '../lib/errors.js';
import { nowIso } from '../lib/time.js';
import { TtlCache } from '../lib/ttl-cache.js';
import * as repo from './repo.js';

/** Groups addresses as an attacker gets them: an IPv4 address alone, an IPv6 address by its /64. */
export function addressGroup(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1] ?? ip;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Counts one more for each key inside the window and throws TooManyAttemptsError, with the
 * longest wait, when any is over its limit. Every key counts even then, so parallel requests all do.
 */
async function chargeKeys(
  db: Database,
  windowSeconds: number,
  counts: [key: string, limit: number][],
  message?: (wait: number) => string,
): Promise<void> {
  const now = Date.now();
  const cutoff = nowIso(now - windowSeconds * 1000);
  let until = 0;
  for (const [key, limit] of counts) {
    const { failures, windowStartedAt } = await repo.addSignInFailure(db, key, nowIso(now), cutoff);
    if (failures > limit) until = Math.max(until, Date.parse(windowStartedAt) + windowSeconds * 1000);
  }
  if (until === 0) return;
  const wait = Math.max(1, Math.ceil((until - now) / 1000));
  throw new TooManyAttemptsError(wait, message?.(wait));
}

interface Charge {
  keys: { accountHere: string; account: string; address: string };
}

/**
 * Sign-in throttling, counted in the database so every Porter process shares it. Failures count
 * per (account, address) — the limit an attacker at one address meets — per account from all
 * addresses (ten times higher, so a stranger cannot lock a user out cheaply), and per address.
 */
export class SignInThrottle {
  constructor(
    private readonly db: Database,
    private readonly limits: Config['signIn'],
  ) {}

  /** Counts an attempt before the password is checked, so parallel guesses all count; throws when over a limit. */
  async charge(email: string, ip: string): Promise<Charge> {
    const { maxFailuresPerAccount, maxFailuresPerIp } = this.limits;
    const address = addressGroup(ip);
    const keys = {
      accountHere: `account-ip:${email}|${address}`,
      account: `account:${email}`,
      address: `ip:${address}`,
    };
    await chargeKeys(this.db, this.limits.windowSeconds, [
      [keys.accountHere, maxFailuresPerAccount],
      [keys.account, maxFailuresPerAccount * 10],
      [keys.address, maxFailuresPerIp],
    ]);
    return { keys };
  }

  /** A successful sign-in: its own attempt does not count, and this address starts afresh for the account. */
  async succeeded({ keys }: Charge): Promise<void> {
    await repo.forgetSignInFailures(this.db, keys.accountHere);
    await repo.removeOneSignInFailure(this.db, keys.account);
    await repo.removeOneSignInFailure(this.db, keys.address);
  }

  /** Drops counters whose window has passed. */
  async purge(): Promise<void> {
    await repo.deleteSignInFailuresBefore(this.db, nowIso(Date.now() - this.limits.windowSeconds * 1000));
  }
}

/**
 * Failed client authentications per address (the token endpoint), counted in the same table
 * as sign-in failures so every process shares them: a write per failure, and a read per attempt
 * unless this process found the address clean less than a second ago. So a legitimate client's
 * exchanges cost no read, and failures counted by another process block here within a second,
 * the same rule as revocations.
 */
export class ClientAuthThrottle {
  private readonly clean = new TtlCache<true>(1000, 10_000);

  constructor(
    private readonly db: Database,
    private readonly limits: Config['signIn'],
  ) {}

  private key(ip: string) {
    return `client-ip:${addressGroup(ip)}`;
  }

  /** Throws TooManyAttemptsError while this address is over the limit. */
  async check(ip: string): Promise<void> {
    const key = this.key(ip);
    const now = Date.now();
    if (this.clean.get(key, now)) return;
    const { maxFailuresPerIp, windowSeconds } = this.limits;
    const generation = this.clean.generation;
    const row = await repo.countFailures(this.db, key, nowIso(now - windowSeconds * 1000));
    if (!row || row.failures < maxFailuresPerIp) {
      this.clean.set(key, true, now, generation);
      return;
    }
    const until = Date.parse(row.window_started_at) + windowSeconds * 1000;
    const wait = Math.max(1, Math.ceil((until - now) / 1000));
    throw new TooManyAttemptsError(
      wait,
      `Too many failed client authentications from this address. Try again in ${wait} seconds.`,
    );
  }

  /** Counts one failed authentication from this address (and reads it afresh from now on). */
  async failed(ip: string): Promise<void> {
    const now = Date.now();
    const cutoff = nowIso(now - this.limits.windowSeconds * 1000);
    this.clean.clear();
    await repo.addSignInFailure(this.db, this.key(ip), nowIso(now), cutoff);
  }
}

/** What a mail is for: each kind counts on its own. */
export type MailPurpose = 'verify' | 'reset' | 'invite';

/**
 * Mails a request can cause (verification, password reset, invitation), counted like sign-in
 * failures: per recipient address (the sign-in limit per account) and per client address (the
 * limit per IP). Counted whether or not the address has an account, so a refusal tells nothing.
 */
export class MailThrottle {
  constructor(
    private readonly db: Database,
    private readonly limits: Config['signIn'],
  ) {}

  /** Counts one mail to `email` asked from `ip`; throws TooManyAttemptsError when over a limit. */
  async charge(purpose: MailPurpose, email: string, ip: string): Promise<void> {
    const { maxFailuresPerAccount, maxFailuresPerIp, windowSeconds } = this.limits;
    await chargeKeys(
      this.db,
      windowSeconds,
      [
        [`mail-${purpose}:${email.toLowerCase()}`, maxFailuresPerAccount],
        [`mail-ip:${addressGroup(ip)}`, maxFailuresPerIp],
      ],
      (wait) => `Too many mails asked for. Try again in ${Math.ceil(wait / 60)} minute(s).`,
    );
  }
}
