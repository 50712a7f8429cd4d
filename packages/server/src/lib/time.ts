/** The current time as stored: ISO-8601 in UTC. */
export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}

/** `seconds` from `from` as stored (ISO-8601 UTC). */
export function isoAfter(seconds: number, from: number = Date.now()): string {
  return new Date(from + seconds * 1000).toISOString();
}
