import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { FieldIssues } from '../lib/errors.js';
import { isoAfter, nowIso } from '../lib/time.js';
import * as repo from './repo.js';

/** What one POST hands to the page it redirects to; shown once. */
export interface Flash {
  /** A confirmation, shown as a status message. */
  notice?: string;
  /** A refusal that belongs to no single field. */
  alert?: string;
  /** The refused form: its id on the page, each field's message, and what the person typed. */
  form?: { id: string; errors: FieldIssues; values: Record<string, unknown> };
  /** New credentials, shown once: each with an element id, a label and the secret. */
  secret?: { title: string; items: { id: string; label: string; value: string; secret: boolean }[] };
  /** An answer handed to an app with a custom-scheme redirect URI (it carries a code). */
  handOff?: { appName: string; url: string; authorized: boolean };
}

const TTL_SECONDS = 600;

function hash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

// The cookie's 256 random bits are the key: the database alone cannot read a flash.
function keyOf(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, '', 'porter flash v1', 32));
}

function seal(token: string, flash: Flash): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(token), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(flash), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(token: string, sealed: string): Flash | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(token), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * One-time messages for Post/Redirect/Get: stored encrypted for ten minutes, bound to the
 * session that made them and to the page they are for, deleted when that page shows them.
 */
export class FlashService {
  constructor(private readonly db: Database) {}

  /** Stores a flash for the next GET of `path`; returns the cookie value that unlocks it. */
  async put(sessionHash: string | null, path: string, flash: Flash): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await repo.insertFlash(this.db, {
      id_hash: hash(token),
      session_hash: sessionHash,
      path,
      payload: seal(token, flash),
      expires_at: isoAfter(TTL_SECONDS),
    });
    return token;
  }

  /** The flash for this page and session, deleted as it is read; undefined when there is none. */
  async take(token: string, sessionHash: string | null, path: string): Promise<Flash | undefined> {
    if (token.length !== 43) return undefined;
    const row = await repo.takeFlash(this.db, { idHash: hash(token), sessionHash, path }, nowIso());
    return row && open(token, row.payload);
  }

  purgeExpired(): Promise<void> {
    return repo.deleteExpiredFlashes(this.db, nowIso());
  }
}
