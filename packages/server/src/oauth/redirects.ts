/** The redirect URI with parameters added, its registered query kept exactly as registered. */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, v);
  return `${uri}${uri.includes('?') ? '&' : '?'}${query.toString().replaceAll('+', '%20')}`;
}

/** Whether a browser can follow a redirect to it (http or https), rather than hand it to an app. */
export function isWebUri(uri: string): boolean {
  return /^https?:\/\//i.test(uri);
}
