import { randomBytes } from 'node:crypto';

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

/** A prefixed random id (`usr_…`): 80 random bits, so ids reveal neither order nor counts. */
export function newId(prefix: 'usr' | 'cmp' | 'app' | 'ins' | 'tok' | 'evt' | 'aud'): string {
  return `${prefix}_${randomBase32(10)}`;
}
