interface Entry<V> {
  value: V | null;
  expires: number;
}

/**
 * What recent lookups answered (or that they found nothing), for at most `ttlMs`: a hot path
 * skips the database, and a change made by another Porter process is honoured within that time.
 * Changes in this process clear it at once. Used for bearer checks (keyed by secret hash) and
 * OAuth clients (keyed by client id and app id).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** Bumped by clear(): an answer looked up before a change is not stored after it. */
  generation = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 50_000,
  ) {}

  /** The cached answer for `key`: a value, null for "nothing there", undefined for a miss. */
  get(key: string, now: number): V | null | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores an answer looked up during `generation`, unless a clear() happened since. */
  set(key: string, value: V | null, now: number, generation = this.generation): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expires: now + this.ttlMs });
  }

  /**
   * The cached answer at once (null for "nothing there"), or else a promise of `load`'s, which
   * is stored for next time unless a clear() happened meanwhile. A hit costs no promise.
   */
  getOrLoad(key: string, load: () => Promise<V | undefined>): V | null | Promise<V | null> {
    const now = Date.now();
    const cached = this.get(key, now);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    return load().then((value) => {
      this.set(key, value ?? null, now, generation);
      return value ?? null;
    });
  }

  /** The cached answer, or `load`'s (stored for next time); a clear() during `load` is honoured. */
  async through(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    return (await this.getOrLoad(key, load)) ?? undefined;
  }

  /** Forgets everything: called after any change in this process that the cached answers depend on. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
