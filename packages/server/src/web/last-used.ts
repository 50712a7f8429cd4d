import { html, type SafeHtml } from './html.js';

/** An ISO UTC time to the minute, as the portal shows it: `2026-11-27 22:41 UTC`. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "Last used <time>" or "Never used": a credential's last use, recorded to the minute. */
export function lastUsed(at: string | null): SafeHtml {
  return at
    ? html`<span class="last-used">Last used <time datetime="${at}">${utcMinute(at)}</time></span>`
    : html`<span class="last-used">Never used</span>`;
}
