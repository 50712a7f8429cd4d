import { randomBytes } from './random.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** Base32 text of `bytes` random bytes (synchronous: a microsecond, no thread-pool round trip). */
export function randomBase32(bytes: number): string {
  const buf = randomBytes(bytes);
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of buf) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

const ID_SHAPE = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{16,18}$/;

/** Whether `value` looks like an id Porter made with this prefix: a cheap guard before any query. */
export function isId(
  value: unknown,
  prefix: 'usr' | 'cmp' | 'app' | 'tok' | 'ins' | 'azr' | 'rsv' | 'sbr' | 'prq' | 'inv' | 'rvw',
): value is string {
  return typeof value === 'string' && value.startsWith(`${prefix}_`) && ID_SHAPE.test(value);
}

/** A prefixed random id (`usr_…`): 80 random bits, so ids reveal neither order nor counts. */
export function newId(
  prefix: 'usr' | 'cmp' | 'app' | 'ins' | 'tok' | 'azr' | 'rsv' | 'sbr' | 'prq' | 'inv' | 'rvw',
): string {
  return `${prefix}_${randomBase32(10)}`;
}

function fixedBase32(n: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return out;
}

let lastMs = 0;
let sequence = 0;

/**
 * A prefixed id that sorts by creation time (milliseconds, then a per-process sequence), for
 * records read newest-first, such as audit events; 40 random bits keep processes apart.
 */
export function newSortableId(prefix: 'aud' | 'evt' | 'sbn' | 'iff' | 'whe'): string {
  const now = Date.now();
  sequence = now === lastMs ? sequence + 1 : 0;
  lastMs = now;
  return `${prefix}_${fixedBase32(now, 10)}${fixedBase32(sequence, 3)}${randomBase32(5)}`;
}
