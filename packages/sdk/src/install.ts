import { createHash, randomBytes } from 'node:crypto';
import { endpoint } from './http.js';

/**
 * A random `state` value to bind the install redirect to this browser session (CSRF protection).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A PKCE code verifier and its S256 challenge.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function createPkce(verifier: string = randomBytes(32).toString('base64url')) {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw new TypeError('a PKCE code verifier is 43 to 128 unreserved characters (RFC 7636 §4.1)');
  }
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' as const };
}

export interface InstallUrlOptions {
  /** The Porter server's public URL, such as https://porter.example.com */
  porterUrl: string;
  clientId: string;
  /** Exactly one of the app's registered redirect URLs. */
  redirectUri: string;
  /** Among the app's scopes (all of them when empty). */
  scopes: readonly string[];
  state?: string;
  /** An S256 challenge from createPkce(). */
  codeChallenge?: string;
}

/**
 * The URL that starts an install (Porter's distribution URL), with optional state and PKCE.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function buildInstallUrl(o: InstallUrlOptions): string {
  const url = endpoint(o.porterUrl, '/integrations/oauth-install');
  url.searchParams.set('client_id', o.clientId);
  url.searchParams.set('redirect_uri', o.redirectUri);
  if (o.scopes.length > 0) url.searchParams.set('scope', o.scopes.join(' '));
  if (o.state !== undefined) url.searchParams.set('state', o.state);
  if (o.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', o.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString().replaceAll('+', '%20');
}

/** An install to start: where to send the browser, and what to keep until the callback. */
export interface StartedInstall {
  url: string;
  /** Keep it in the browser's session; handleCallback() compares it. */
  state: string;
  /** Keep it on the server (never in the URL); exchangeCode() sends it. */
  codeVerifier: string;
}

/**
 * Starts an install: a fresh `state` and PKCE pair, and the distribution URL carrying them.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export function installUrl(o: Omit<InstallUrlOptions, 'state' | 'codeChallenge'>): StartedInstall {
  const state = createState();
  const pkce = createPkce();
  return {
    url: buildInstallUrl({ ...o, state, codeChallenge: pkce.challenge }),
    state,
    codeVerifier: pkce.verifier,
  };
}
