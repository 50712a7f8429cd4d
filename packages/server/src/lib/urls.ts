const BASE = 'http://porter.invalid';

/**
 * A `return_to` value made safe: only a same-origin path (`/…`) is kept, so sign-in cannot be
 * turned into an open redirect (`//evil`, `/\evil`, `https://evil`, control characters → `/`).
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\p{Cc}\\]/u.test(value)) return fallback;
  try {
    const url = new URL(value, BASE);
    const path = `${url.pathname}${url.search}`;
    // Check what a browser will follow, after dot segments collapse (`/.//evil` → `//evil`).
    if (url.origin !== BASE || path.startsWith('//') || path.startsWith('/\\')) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
