import { card } from '../../apps/views/card.js';
import { statusBadge } from '../../apps/views/fields.js';
import type { AppStatus } from '../../db/schema.js';
import type { FieldIssues } from '../../lib/errors.js';
import { html, type SafeHtml } from '../../web/html.js';
import { utcMinute } from '../../web/last-used.js';
import type { AdminCompany, Page } from '../service.js';
import { adminAppPath, adminCompanyPath } from './apps.js';
import { filterForm, filterText, pager, typed, utcCell, withQuery } from './shared.js';
import { adminPageView } from './tabs.js';

const testBadge = (isTest: number) => (isTest ? html` <span class="badge test">Test</span>` : '');

function companyRows(companies: AdminCompany[]): SafeHtml {
  if (companies.length === 0) return html`<p class="muted" id="no-companies">No company matches.</p>`;
  return html`<table class="stack" id="admin-companies"><thead><tr><th>Company</th><th>Region</th><th>Members</th><th>Apps</th><th>Installed apps</th><th>Created (UTC)</th></tr></thead><tbody>
    ${companies.map(
      (c) => html`<tr><td><a href="${adminCompanyPath(c.id)}">${c.name}</a>${testBadge(c.is_test)}</td>
        <td data-label="Region">${c.region}</td>
        <td data-label="Members" data-testid="members">${c.members}</td>
        <td data-label="Apps" data-testid="apps">${c.apps}</td>
        <td data-label="Installed apps" data-testid="installed">${c.installed}</td>
        <td data-label="Created">${utcCell(c.created_at)}</td></tr>`,
    )}</tbody></table>`;
}

/** Every company, searched by name, 50 a page. */
export function adminCompaniesView(opts: {
  query: Record<string, unknown>;
  errors: FieldIssues;
  result: Page<AdminCompany> | undefined;
}): SafeHtml {
  const { query, errors, result } = opts;
  const q = typed(query, 'q');
  const form = filterForm({
    action: '/admin/companies',
    label: 'Search companies',
    errors,
    labels: { q: 'Name', page: 'Page' },
    filtered: q !== '',
    fields: filterText(query, errors, 'q', 'Name'),
  });
  const list = result
    ? html`${companyRows(result.items)}${pager('/admin/companies', { q }, result.page, result.hasNext)}`
    : html``;
  return adminPageView(
    'companies',
    html`<section class="card" aria-label="Companies">${form}${list}</section>`,
  );
}

interface CompanyDetails {
  company: AdminCompany;
  members: { id: string; name: string; email: string; role: string; created_at: string }[];
  apps: { id: string; name: string; status: AppStatus; created_at: string; installs: number }[];
  installed: {
    id: string;
    scopes: string;
    installed_at: string;
    app_id: string;
    app_name: string;
    app_status: AppStatus;
    developer_name: string;
  }[];
}

function membersTable(members: CompanyDetails['members']): SafeHtml {
  if (members.length === 0) return html`<p class="muted">No members.</p>`;
  return html`<table class="stack" id="company-members"><thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Since (UTC)</th></tr></thead><tbody>
    ${members.map(
      (m) => html`<tr><td>${m.name}</td><td data-label="Email" class="email">${m.email}</td>
        <td data-label="Role">${m.role}</td><td data-label="Since">${utcCell(m.created_at)}</td></tr>`,
    )}</tbody></table>`;
}

function appsTable(apps: CompanyDetails['apps']): SafeHtml {
  if (apps.length === 0) return html`<p class="muted">No apps.</p>`;
  return html`<table class="stack" id="company-apps"><thead><tr><th>App</th><th>Status</th><th>Installs</th><th>Created (UTC)</th></tr></thead><tbody>
    ${apps.map(
      (
        a,
      ) => html`<tr><td><a href="${adminAppPath(a.id)}">${a.name}</a></td><td data-label="Status">${statusBadge(a.status)}</td>
        <td data-label="Installs">${a.installs}</td><td data-label="Created">${utcCell(a.created_at)}</td></tr>`,
    )}</tbody></table>`;
}

function installedTable(rows: CompanyDetails['installed']): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">No installed apps.</p>`;
  return html`<table class="stack" id="company-installed"><thead><tr><th>App</th><th>Developer</th><th>Scopes</th><th>Installed (UTC)</th></tr></thead><tbody>
    ${rows.map(
      (
        i,
      ) => html`<tr><td><a href="${adminAppPath(i.app_id)}">${i.app_name}</a> ${statusBadge(i.app_status)}</td>
        <td data-label="Developer">${i.developer_name}</td>
        <td data-label="Scopes">${(JSON.parse(i.scopes) as string[]).map((s) => html`<code>${s}</code> `)}</td>
        <td data-label="Installed">${utcCell(i.installed_at)}</td></tr>`,
    )}</tbody></table>`;
}

/** One company: its members, the apps it built and the apps installed in it. */
export function adminCompanyView({ company, members, apps, installed }: CompanyDetails): SafeHtml {
  const about = html`<p><a href="/admin/companies">← Every company</a></p>
    <h2 class="app-title">${company.name}${testBadge(company.is_test)}</h2>
    <section class="card" aria-label="About the company"><dl>
      <dt>Company ID</dt><dd><code>${company.id}</code></dd>
      <dt>Region</dt><dd>${company.region}</dd>
      <dt>Created</dt><dd>${utcMinute(company.created_at)}</dd>
    </dl><p><a href="${withQuery('/admin/audit', { company: company.id })}">Every audit event of this company</a></p></section>`;
  return adminPageView(
    'companies',
    html`${about}
    ${card('members', `Members (${members.length})`, membersTable(members))}
    ${card('apps', `Apps it built (${apps.length})`, appsTable(apps))}
    ${card('installed', `Installed apps (${installed.length})`, installedTable(installed))}`,
  );
}
