import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBase32 } from './ids.js';

// The secret in a link sent by mail (e-mail verification, password reset, invitation) is
// `<selector>.<verifier>`: the selector finds the row, the verifier (256 random bits) proves
// the link. Only the verifier's SHA-256 is stored, and it is compared in constant time, so
// neither a stolen database nor a timing measurement yields a working link.

const SHAPE = /^([0-9a-z_]{16,24})\.([A-Za-z0-9_-]{43})$/;

/** A new link secret for `selector`, and the hash to store for it. */
export function mintLinkToken(selector: string = randomBase32(10)) {
  const verifier = randomBytes(32).toString('base64url');
  return { selector, token: `${selector}.${verifier}`, verifierHash: hashVerifier(verifier) };
}

/** The selector and verifier of a well-formed link secret, or undefined. */
export function parseLinkToken(token: unknown): { selector: string; verifier: string } | undefined {
  const match = typeof token === 'string' ? SHAPE.exec(token) : null;
  return match ? { selector: match[1] ?? '', verifier: match[2] ?? '' } : undefined;
}

function hashVerifier(verifier: string): string {
  return createHash('sha256').update(verifier).digest('hex');
}

/** Whether `verifier` is the one whose hash is stored, in constant time. */
export function verifierMatches(verifier: string, storedHash: string): boolean {
  const a = Buffer.from(hashVerifier(verifier), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
