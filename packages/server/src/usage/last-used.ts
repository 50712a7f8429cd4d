import type { Database } from '../db/database.js';
import * as repo from './repo.js';

/** A credential is written at most once per this long: "last used" is to the minute. */
const GATE_MS = 60_000;

/**
 * When each credential was last used, noted in memory (one Map write per use) and written by
 * the usage flush at most once a minute per credential: never a write per request. Tokens (API
 * keys, access tokens, developer tokens) are keyed by id, client secrets by their hash.
 */
class Notes {
  /** The latest use not yet written, in ms. */
  private pending = new Map<string, number>();
  /** When each credential was last written, in ms (entries older than the gate are dropped). */
  private readonly written = new Map<string, number>();

  note(key: string, at: number): void {
    this.pending.set(key, at);
  }

  /** The notes due for writing now (`all`: every one, at shutdown); the others wait for their minute. */
  take(now: number, all: boolean): [string, string][] {
    const due: [string, string][] = [];
    for (const [key, at] of this.pending) {
      const last = this.written.get(key);
      if (!all && last !== undefined && now - last < GATE_MS) continue;
      due.push([key, new Date(at).toISOString()]);
      this.pending.delete(key);
      this.written.set(key, now);
    }
    for (const [key, last] of this.written) if (now - last >= GATE_MS) this.written.delete(key);
    return due;
  }

  /** Puts back notes that failed to be written (a newer note wins) and reopens their gate. */
  restore(due: [string, string][]): void {
    for (const [key, at] of due) {
      this.written.delete(key);
      if (!this.pending.has(key)) this.pending.set(key, Date.parse(at));
    }
  }
}

export class LastUsed {
  private readonly tokens = new Notes();
  private readonly secrets = new Notes();

  constructor(private readonly db: Database) {}

  /** A token authenticated a request. */
  token(tokenId: string, at = Date.now()): void {
    this.tokens.note(tokenId, at);
  }

  /** A client secret (by its stored hash) authenticated a client. */
  secret(secretHash: string, at = Date.now()): void {
    this.secrets.note(secretHash, at);
  }

  /**
   * Writes the notes whose minute has passed, or every note (`all`, at shutdown); `now` lets a
   * test open the gate.
   */
  async write(now = Date.now(), all = false): Promise<void> {
    const tokens = this.tokens.take(now, all);
    const secrets = this.secrets.take(now, all);
    if (tokens.length === 0 && secrets.length === 0) return;
    try {
      await repo.recordTokensUsed(this.db, tokens);
      await repo.recordSecretsUsed(this.db, secrets);
    } catch (err) {
      this.tokens.restore(tokens);
      this.secrets.restore(secrets);
      throw err;
    }
  }
}
