/**
 * What happened in this process, as plain numbers: incrementing a field costs nothing on the hot
 * path, and `/metrics` reads them when it is scraped (ops/metrics.ts). Services count into it;
 * nothing here knows about Prometheus.
 */
export class Signals {
  bearerCacheHits = 0;
  bearerCacheMisses = 0;
  rateLimited = 0;
  installs = 0;
  uninstalls = 0;
  /** Code exchanges by outcome: `issued`, or the OAuth error code of the refusal. */
  readonly exchanges = new Map<string, number>();

  exchanged(outcome: string): void {
    this.exchanges.set(outcome, (this.exchanges.get(outcome) ?? 0) + 1);
  }
}
