import type { FastifyReply } from 'fastify';
import { errorSummary, textField } from '../web/fields.js';
import { formState } from '../web/forms.js';
import { html, type SafeHtml } from '../web/html.js';
import { csrfField } from '../web/layout.js';
import type { Viewer } from '../web/viewer.js';
import type { Flash } from './flash.js';

/** The sign-in form; a refused attempt shows its reason above the fields. */
export function signInView(
  reply: FastifyReply,
  flash: Flash | undefined,
  opts: { returnTo: string; signUpOpen: boolean },
): SafeHtml {
  const { returnTo } = opts;
  const error = flash?.alert;
  const email = flash?.form?.values.email;
  return html`<div class="card narrow">
      <h1>Sign in to Porter</h1>
      ${flash?.notice ? html`<div class="notice" role="status">${flash.notice}</div>` : ''}
      ${error ? html`<div class="alert" role="alert" id="sign-in-error">${error}</div>` : ''}
      <form method="post" action="/sign-in" novalidate>
        ${csrfField(reply)}
        <input type="hidden" name="return_to" value="${returnTo}">
        <label for="email">Email</label>
        <input type="email" id="email" name="email" autocomplete="username" required maxlength="254" value="${typeof email === 'string' ? email : ''}"
          ${error ? html`aria-describedby="sign-in-error"` : ''}>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required maxlength="1024">
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>
      <p class="muted"><a href="/password/forgot">Forgot your password?</a>${opts.signUpOpen ? html` · No account yet? <a href="/sign-up">Create one</a>` : ''}</p>
      <p class="muted">Looking for apps? <a href="/marketplace">Browse the marketplace</a> without signing in.</p>
    </div>`;
}

/** The start page: the viewer's companies, the active one marked. */
export function homeView(viewer: Viewer): SafeHtml {
  const active = viewer.company?.id;
  const rows = viewer.companies.map(
    (c) => html`<tr${c.id === active ? html` aria-current="true"` : ''}>
        <td>${c.name}${c.is_test ? html` <span class="badge test">Test</span>` : ''}${c.id === active ? html` <span class="badge">Active</span>` : ''}</td>
        <td>${c.role}</td><td>${c.region}</td><td class="hide-narrow"><code>${c.id}</code></td></tr>`,
  );
  return html`<h1>Welcome, ${viewer.session.user.name}</h1>
      <section class="card" aria-labelledby="companies-h">
        <h2 id="companies-h">Your companies</h2>
        ${
          viewer.companies.length === 0
            ? html`<p class="muted">You are not a member of any company yet. <a href="/welcome">Create your company</a>, or ask an owner to invite you.</p>`
            : html`<table><thead><tr><th>Company</th><th>Role</th><th>Region</th><th class="hide-narrow">ID</th></tr></thead><tbody>${rows}</tbody></table>`
        }
      </section>
      <section class="card" aria-labelledby="market-h">
        <h2 id="market-h">Find apps</h2>
        <p>The <a href="/marketplace">marketplace</a> lists the published apps you can install into your company.</p>
      </section>`;
}

export const TEST_COMPANY_FORM_ID = 'test-company-form';

/** The developer's test companies, and the form for a new one. */
export function testCompaniesSection(
  viewer: Viewer,
  reply: FastifyReply,
  flash: Flash | undefined,
): SafeHtml {
  const tests = viewer.companies.filter((c) => c.is_test === 1);
  const form = formState(flash, TEST_COMPANY_FORM_ID);
  const base = `${viewer.company?.name ?? 'My'} Test`;
  const taken = new Set(viewer.companies.map((c) => c.name));
  let suggested = base;
  for (let n = 2; taken.has(suggested); n++) suggested = `${base} ${n}`;
  return html`<section class="card" id="${TEST_COMPANY_FORM_ID}" aria-labelledby="test-h"><h2 id="test-h">Test companies</h2>
    <p>Install your apps into a test company to try the whole flow. You own the test companies you create.</p>
    ${tests.length ? html`<ul>${tests.map((c) => html`<li>${c.name} <span class="badge test">Test</span></li>`)}</ul>` : ''}
    ${errorSummary(form, { company_name: 'Test company name' })}
    <form method="post" action="/developer/test-companies">${csrfField(reply)}
      ${textField({ name: 'company_name', label: 'Test company name', value: form.values?.company_name ?? suggested, errors: form.errors, required: true })}
      <div class="actions"><button type="submit" class="secondary">Create test company</button></div></form></section>`;
}
