// When a failed delivery is tried again: after 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h,
// 2 h, 4 h, then three times after 8 h: 13 attempts over about 31.8 hours, so a receiver that
// is down for a whole day still gets every event. Each wait varies by ±20 % so that deliveries
// that failed together (a receiver's outage) do not all come back at the same second.
const RETRY_DELAYS_S = [10, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 28800, 28800, 28800];

/** Attempts a delivery gets before it is marked failed (the first one and every retry). */
export const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;

/**
 * Milliseconds to wait after the `attempts`-th failed attempt, or undefined when that was the
 * last; `scale` shrinks the schedule for tests, `random` is in [0, 1).
 */
export function retryDelayMs(attempts: number, scale = 1, random = Math.random()): number | undefined {
  const seconds = RETRY_DELAYS_S[attempts - 1];
  if (seconds === undefined) return undefined;
  return Math.round(seconds * 1000 * scale * (0.8 + 0.4 * random));
}
