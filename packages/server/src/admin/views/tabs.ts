import { html, type SafeHtml } from '../../web/html.js';

/** The admin area's sections, each its own URL under /admin. */
export const ADMIN_TABS = {
  reviews: { path: '/admin/reviews', label: 'Review queue' },
  apps: { path: '/admin/apps', label: 'Apps' },
  companies: { path: '/admin/companies', label: 'Companies' },
  audit: { path: '/admin/audit', label: 'Audit log' },
} as const;

export type AdminTab = keyof typeof ADMIN_TABS;

/** The admin area's heading and tab bar; `body` is the section. */
export function adminPageView(tab: AdminTab, body: SafeHtml): SafeHtml {
  const tabs = Object.entries(ADMIN_TABS).map(
    ([key, t]) => html`<a href="${t.path}"${key === tab ? html` aria-current="page"` : ''}>${t.label}</a>`,
  );
  return html`<h1>Admin <span class="muted">· ${ADMIN_TABS[tab].label}</span></h1>
    <nav class="tabs" aria-label="Admin sections">${tabs}</nav>
    ${body}`;
}
