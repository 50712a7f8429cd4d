import type { Principal } from './service.js';

interface Entry {
  principal: Principal | null;
  expires: number;
}

/**
 * What recently checked secrets resolved to (or that they resolved to nothing), keyed by hash,
 * for at most `ttlMs`: the hot bearer check skips the database, and a revocation made by another
 * Porter process is honoured within that time. Revocations in this process clear it at once.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by clear(): an answer looked up before a revocation is not stored after it. */
  generation = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 50_000,
  ) {}

  /** The cached answer for `hash`: a principal, null for "no such credential", undefined for a miss. */
  get(hash: string, now: number): Principal | null | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.expires > now) return entry.principal;
    this.entries.delete(hash);
    return undefined;
  }

  /** Stores an answer looked up during `generation`, unless a clear() happened since. */
  set(hash: string, principal: Principal | null, now: number, generation = this.generation): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, { principal, expires: now + this.ttlMs });
  }

  /** Forgets everything: called after any revocation or change of scopes in this process. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
