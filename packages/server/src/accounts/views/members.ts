import type { FastifyReply } from 'fastify';
import type { AuditEvent, Role } from '../../db/schema.js';
import { errorSummary, textField } from '../../web/fields.js';
import { formState } from '../../web/forms.js';
import { html, type SafeHtml } from '../../web/html.js';
import { csrfField } from '../../web/layout.js';
import type { Flash } from '../flash.js';
import type { PendingInvitation } from '../members/invitations.js';
import type { Member } from '../members/service.js';

export const INVITE_FORM_ID = 'invite-form';

const ROLES: Role[] = ['owner', 'admin', 'member'];

/** Who the page is for: their id and role, which decide what it offers. */
interface Looker {
  userId: string;
  role: Role;
}

function roleSelect(id: string, label: string, roles: Role[], current?: string): SafeHtml {
  return html`<label for="${id}" class="visually-hidden">${label}</label>
    <select id="${id}" name="role">${roles.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}>${r}</option>`)}</select>`;
}

function memberActions(reply: FastifyReply, m: Member, looker: Looker, soleOwner: boolean): SafeHtml {
  // The last owner cannot leave: nothing to offer but the reason.
  if (m.id === looker.userId && soleOwner && m.role === 'owner')
    return html`<span class="muted">The only owner</span>`;
  if (m.id === looker.userId)
    return html`<form method="post" action="/members/${m.id}/remove">${csrfField(reply)}<button type="submit" class="link">Leave this company</button></form>`;
  // An admin sees an owner's row but cannot change it (only an owner changes an owner).
  if (m.role === 'owner' && looker.role !== 'owner') return html``;
  const roles = looker.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
  return html`<form method="post" action="/members/${m.id}/role" class="inline">${csrfField(reply)}
      ${roleSelect(`role-${m.id}`, `Role of ${m.name}`, roles, m.role)}
      <button type="submit" class="secondary">Change role<span class="visually-hidden"> of ${m.name}</span></button></form>
    <form method="post" action="/members/${m.id}/remove">${csrfField(reply)}<button type="submit" class="link">Remove<span class="visually-hidden"> ${m.name}</span></button></form>`;
}

function membersTable(reply: FastifyReply, members: Member[], looker: Looker): SafeHtml {
  const soleOwner = members.filter((m) => m.role === 'owner').length === 1;
  const rows = members.map(
    (m) => html`<tr><td>${m.name}${m.id === looker.userId ? html` <span class="badge">You</span>` : ''}</td>
      <td class="email">${m.email}</td><td>${m.role}</td><td class="member-actions">${memberActions(reply, m, looker, soleOwner)}</td></tr>`,
  );
  return html`<section class="card" aria-labelledby="members-h"><h2 id="members-h">Members</h2>
    <table class="stack"><thead><tr><th>Name</th><th>Email</th><th>Role</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${rows}</tbody></table></section>`;
}

function invitationsTable(reply: FastifyReply, invitations: PendingInvitation[]): SafeHtml {
  if (invitations.length === 0) return html``;
  const now = new Date().toISOString();
  const rows = invitations.map(
    (i) => html`<tr><td class="email">${i.email}</td><td>${i.role}</td>
      <td class="nowrap">${i.expires_at > now ? `until ${i.expires_at.slice(0, 10)}` : 'expired'}</td>
      <td class="member-actions"><form method="post" action="/members/invitations/${i.id}/resend">${csrfField(reply)}<button type="submit" class="link">Resend<span class="visually-hidden"> the invitation of ${i.email}</span></button></form>
      <form method="post" action="/members/invitations/${i.id}/revoke">${csrfField(reply)}<button type="submit" class="link">Revoke<span class="visually-hidden"> the invitation of ${i.email}</span></button></form></td></tr>`,
  );
  return html`<section class="card" aria-labelledby="invitations-h"><h2 id="invitations-h">Pending invitations</h2>
    <table class="stack"><thead><tr><th>Email</th><th>Role</th><th>Link works</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${rows}</tbody></table></section>`;
}

function inviteForm(reply: FastifyReply, flash: Flash | undefined, looker: Looker): SafeHtml {
  const form = formState(flash, INVITE_FORM_ID);
  const roles = looker.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
  const chosen = typeof form.values?.role === 'string' ? form.values.role : 'member';
  return html`<section class="card" id="${INVITE_FORM_ID}" aria-labelledby="invite-h"><h2 id="invite-h">Invite someone</h2>
    <p>They get an e-mail with a link that works once, for seven days; if they have no account, they make one there.</p>
    ${errorSummary(form)}
    <form method="post" action="/members/invitations" novalidate>${csrfField(reply)}
      ${textField({ name: 'email', label: 'Email', type: 'email', value: form.values?.email, errors: form.errors, required: true })}
      <label for="invite-role">Role</label>
      <select id="invite-role" name="role">${roles.map((r) => html`<option value="${r}"${r === chosen ? html` selected` : ''}>${r}</option>`)}</select>
      <div class="actions"><button type="submit">Send invitation</button></div></form></section>`;
}

type Details = Record<string, unknown>;

/** What each membership event says, in words. */
const SAYS: Record<string, (d: Details) => string> = {
  'company.created': () => 'created the company',
  'invitation.created': (d) => `invited ${d.email} as ${d.role}`,
  'invitation.resent': (d) => `resent the invitation of ${d.email}`,
  'invitation.revoked': (d) => `revoked the invitation of ${d.email}`,
  'invitation.accepted': (d) => `accepted the invitation as ${d.role}`,
  'member.added': (d) => `added ${d.email} as ${d.role}`,
  'member.role_changed': (d) => `changed the role of ${d.email} from ${d.from} to ${d.to}`,
  'member.removed': (d) => `removed ${d.email}`,
  'member.left': () => 'left the company',
};

function activityTable(events: AuditEvent[]): SafeHtml {
  if (events.length === 0) return html``;
  const rows = events.map((e) => {
    const says = SAYS[e.action]?.(JSON.parse(e.details) as Details) ?? e.action;
    return html`<tr><td class="nowrap">${e.created_at.slice(0, 16).replace('T', ' ')}</td><td class="email">${e.actor}</td><td>${says}</td></tr>`;
  });
  return html`<section class="card" aria-labelledby="activity-h"><h2 id="activity-h">Recent activity</h2>
    <table class="stack"><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** A company's Members page: members and roles, pending invitations, the invitation form, recent activity. */
export function membersView(
  reply: FastifyReply,
  flash: Flash | undefined,
  page: {
    companyName: string;
    members: Member[];
    invitations: PendingInvitation[];
    activity: AuditEvent[];
    looker: Looker;
  },
): SafeHtml {
  const alert = flash?.alert && flash.form?.id !== INVITE_FORM_ID ? flash.alert : undefined;
  return html`<h1>Members <span class="muted">· ${page.companyName}</span></h1>
    ${flash?.notice ? html`<div class="notice" role="status">${flash.notice}</div>` : ''}
    ${alert ? html`<div class="alert" role="alert">${alert}</div>` : ''}
    ${membersTable(reply, page.members, page.looker)}${invitationsTable(reply, page.invitations)}${inviteForm(reply, flash, page.looker)}
    ${activityTable(page.activity)}`;
}
