import * as nodeCrypto from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBytes } from './random.js';

// Every secret Porter issues looks like `porter_at_<43 base62 chars><6 base62 chars>`:
// - a type prefix, so a secret scanner (or a person) can tell what leaked and where to revoke it;
// - 43 random base62 characters: 43 × log2(62) ≈ 256 bits of entropy;
// - a CRC32 checksum of prefix and body, so a typo or a random string is refused without a
//   database lookup, and scanners can confirm a match offline (as GitHub's tokens do).
// Only the SHA-256 of the whole secret is stored. A fast hash is right here: with 256 bits of
// entropy nobody can guess inputs, so a slow KDF would only cost time on every request
// (bcrypt would cap the token endpoint near 50 exchanges/s; SHA-256 takes about a microsecond).

export const SECRET_KINDS = {
  api_key: 'porter_ak_',
  client_secret: 'porter_cs_',
  access_token: 'porter_at_',
  personal_token: 'porter_pt_',
  authorization_code: 'porter_ac_',
  resource_server: 'porter_rs_',
  /** A webhook signing key: Porter must read it to sign, so it is the one secret kept as is. */
  webhook_secret: 'porter_ws_',
} as const;

export type SecretKind = keyof typeof SECRET_KINDS;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
/** Every secret's length: `porter_xx_`, the body and the checksum. */
export const SECRET_LENGTH = 10 + BODY_LENGTH + CHECKSUM_LENGTH;

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(text: string): number {
  let crc = -1;
  for (let i = 0; i < text.length; i++)
    crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function checksum(text: string): string {
  let n = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** `length` uniformly random base62 characters (rejection sampling keeps them unbiased). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248) out += BASE62[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Mints a new secret of this kind. */
export function mintSecret(kind: SecretKind): string {
  const head = SECRET_KINDS[kind] + randomBase62(BODY_LENGTH);
  return head + checksum(head);
}

const SHAPE = /^porter_(ak|cs|at|pt|ac|rs|ws)_[0-9A-Za-z]{49}$/;

/** The kind of a well-formed secret with a valid checksum, or undefined: no database needed. */
export function secretKind(value: string): SecretKind | undefined {
  if (!SHAPE.test(value)) return undefined;
  const head = value.slice(0, -CHECKSUM_LENGTH);
  if (checksum(head) !== value.slice(-CHECKSUM_LENGTH)) return undefined;
  return KIND_OF_PREFIX.get(value.slice(0, 10));
}

const KIND_OF_PREFIX = new Map(
  (Object.keys(SECRET_KINDS) as SecretKind[]).map((kind) => [SECRET_KINDS[kind] as string, kind]),
);

// One-shot hashing (Node ≥ 20.12) skips building a Hash object: it runs on every bearer check.
const sha256Hex: (value: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (value) => nodeCrypto.hash('sha256', value, 'hex')
    : (value) => createHash('sha256').update(value).digest('hex');

/** What is stored for a secret: its SHA-256, hex. */
export function hashSecret(value: string): string {
  return sha256Hex(value);
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(value: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(value), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
