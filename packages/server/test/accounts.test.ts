import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi, makeDeveloper } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { linkIn, Mailbox } from './helpers/mailbox.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

const PASSWORD = 'correct horse battery';

/** Signs up through the form; the page the person lands on. */
async function signUp(client: PageClient, email: string, name = 'Grace Hopper') {
  const { csrf } = await client.page('/sign-up');
  return client.submit('/sign-up', { _csrf: csrf, name, email, password: PASSWORD });
}

/** Opens a mailed link and presses its one button; the response to that POST. */
async function spendLink(
  client: PageClient,
  link: string,
  action: string,
  extra: Record<string, string> = {},
) {
  const { res, csrf, html } = await client.page(link);
  if (res.status !== 200) return res;
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return client.post(action, { _csrf: csrf, token, ...extra });
}

async function auditActions(porter: TestPorter, targetId: string) {
  const rows = await porter.db
    .selectFrom('audit_events')
    .select('action')
    .where('target_id', '=', targetId)
    .execute();
  return rows.map((r) => r.action);
}

forEachDialect('sign-up, verification and password reset (open sign-up, SMTP)', (dialect) => {
  let porter: TestPorter;
  let mailbox: Mailbox;
  before(async () => {
    mailbox = await new Mailbox().start();
    porter = await startPorter(dialect, {
      ...mailbox.env,
      PORTER_SIGNUP: 'open',
      PORTER_SIGNIN_MAX_FAILURES: '3',
    });
  });
  after(async () => {
    await porter.close();
    await mailbox.close();
  });

  it('signs up, mails a verification link that works once, and keeps an unverified account to verifying', async () => {
    const client = new PageClient(porter.url);
    const landed = await signUp(client, 'grace@example.test');
    assert.equal(landed.path, '/sign-in');
    assert.match(landed.html, /We sent a link to grace@example\.test/);
    const mail = await mailbox.next('grace@example.test', /Confirm your e-mail address/);
    assert.match(mail.text, new RegExp(`Porter at ${porter.url}`), 'the mail says which Porter it is from');
    assert.equal(mail.from, 'porter@test.example');

    const early = new PageClient(porter.url);
    assert.equal((await early.signInOutcome('grace@example.test', PASSWORD)).outcome, 'signed-in');
    const home = await early.get('/account');
    assert.equal(home.headers.get('location'), '/verify-email', 'unverified: only the verify page');
    const pending = await early.page('/verify-email');
    assert.match(pending.html, /Check your inbox/);
    await early.submit('/verify-email/resend', { _csrf: pending.csrf });
    const fresh = await mailbox.next('grace@example.test', /Confirm your e-mail address/);
    assert.equal(
      (await spendLink(client, linkIn(mail, '/verify-email'), '/verify-email')).status,
      410,
      'resending voided the first link',
    );

    const link = linkIn(fresh, '/verify-email');
    const verified = await spendLink(client, link, '/verify-email');
    assert.equal(verified.status, 303);
    assert.equal(verified.headers.get('location'), '/welcome');
    assert.equal(
      (await spendLink(new PageClient(porter.url), link, '/verify-email')).status,
      410,
      'a link works once',
    );
    assert.equal((await early.get('/account')).status, 200, 'the earlier session is verified too');
    const user = await porter.services.accounts.findUser('grace@example.test');
    assert.deepEqual(await auditActions(porter, user?.id ?? ''), ['user.signed_up', 'user.email_verified']);
  });

  it('spends a verification link once when two requests race for it', async () => {
    const client = new PageClient(porter.url);
    await signUp(client, 'racer@example.test', 'Racer');
    const link = linkIn(await mailbox.next('racer@example.test', /Confirm/), '/verify-email');
    const [a, b] = [new PageClient(porter.url), new PageClient(porter.url)];
    const pages = await Promise.all([a.page(link), b.page(link)]);
    const token = /name="token" value="([^"]+)"/.exec(pages[0].html)?.[1] ?? '';
    const answers = await Promise.all(
      [a, b].map((c, i) => c.post('/verify-email', { _csrf: pages[i]?.csrf ?? '', token })),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [303, 410], 'exactly one winner');
  });

  it('offers the first company after verification, with the regions of the configuration', async () => {
    const client = new PageClient(porter.url);
    await signUp(client, 'ada@example.test', 'Ada');
    await spendLink(
      client,
      linkIn(await mailbox.next('ada@example.test', /Confirm/), '/verify-email'),
      '/verify-email',
    );
    const welcome = await client.page('/welcome');
    assert.match(welcome.html, /Create your company/);
    const done = await client.submit('/welcome', {
      _csrf: welcome.csrf,
      name: 'Analytical Engines',
      region: 'US',
    });
    assert.equal(done.path, '/');
    assert.match(done.html, /Analytical Engines is ready/);
    assert.equal((await client.get('/welcome')).headers.get('location'), '/', 'only a first company');
  });

  it('answers a sign-up with a registered address the same way, and mails its owner instead', async () => {
    const { email } = await makeUser(porter);
    const landed = await signUp(new PageClient(porter.url), email);
    assert.match(landed.html, new RegExp(`We sent a link to ${email}`));
    const mail = await mailbox.next(email, /tried to sign up/);
    assert.match(mail.text, /already have an account/);
    assert.match(mail.text, /\/password\/forgot/);
  });

  it('refuses a bad sign-up next to its fields', async () => {
    const client = new PageClient(porter.url);
    const { csrf } = await client.page('/sign-up');
    const back = await client.submit('/sign-up', { _csrf: csrf, name: '', email: 'nope', password: 'short' });
    assert.equal(back.path, '/sign-up');
    assert.match(back.html, /Your name<\/a>: is required/);
    assert.match(back.html, /must be a valid email address/);
    assert.match(back.html, /at least 10 characters/);
  });

  it('resets a password with a one-hour, single-use link and ends every session', async () => {
    const { email } = await makeUser(porter);
    const old = new PageClient(porter.url);
    await old.signIn(email, PASSWORD);
    const client = new PageClient(porter.url);
    const forgot = await client.page('/password/forgot');
    const known = await client.submit('/password/forgot', { _csrf: forgot.csrf, email });
    const unknown = await client.submit('/password/forgot', {
      _csrf: known.csrf,
      email: 'nobody@example.test',
    });
    const answer = (html: string, e: string) =>
      /<div class="notice"[^>]*>([^<]*)</.exec(html)?.[1]?.replace(e, 'X');
    assert.equal(answer(known.html, email), answer(unknown.html, 'nobody@example.test'), 'the same answer');
    const mail = await mailbox.next(email, /Reset your Porter password/);
    assert.match(mail.text, /for one hour/);
    const link = linkIn(mail, '/password/reset');
    const short = await spendLink(client, link, '/password/reset', { password: 'short' });
    assert.match(
      (await client.follow(short)).html,
      /at least 10 characters/,
      'a refused password does not spend the link',
    );
    const reset = await spendLink(client, link, '/password/reset', { password: 'a brand new password' });
    assert.equal(reset.headers.get('location'), '/sign-in');
    assert.equal((await old.get('/')).status, 303, 'the old session ended');
    assert.equal(
      (await spendLink(client, link, '/password/reset', { password: 'another new password' })).status,
      410,
    );
    assert.equal((await client.signInOutcome(email, PASSWORD)).outcome, 'refused');
    assert.equal((await client.signInOutcome(email, 'a brand new password')).outcome, 'signed-in');
    assert.equal(mailbox.to('nobody@example.test').length, 0);
  });

  it('throttles reset mails per address, whether or not it has an account', async () => {
    const client = new PageClient(porter.url);
    const statuses: string[] = [];
    for (const email of [
      'ghost@example.test',
      'ghost@example.test',
      'ghost@example.test',
      'ghost@example.test',
    ]) {
      const { csrf } = await client.page('/password/forgot');
      statuses.push(
        (await client.submit('/password/forgot', { _csrf: csrf, email })).html.includes('Too many mails')
          ? 'throttled'
          : 'sent',
      );
    }
    assert.deepEqual(statuses, ['sent', 'sent', 'sent', 'throttled']);
  });

  it('changes name and password on the account page and ends other sessions there', async () => {
    const { email } = await makeUser(porter);
    const other = new PageClient(porter.url);
    await other.signIn(email, PASSWORD);
    const third = new PageClient(porter.url);
    await third.signIn(email, PASSWORD);
    const client = new PageClient(porter.url);
    await client.signIn(email, PASSWORD);
    let page = await client.page('/account');
    const sessions = [...page.html.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.equal(sessions.length, 2, 'the two other sessions, each with an End button');
    page = await client.submit('/account/sessions/end', { _csrf: page.csrf, session: sessions[0] ?? '' });
    assert.match(page.html, /That session is ended/);
    page = await client.submit('/account/name', { _csrf: page.csrf, name: 'Renamed Person' });
    assert.match(page.html, /Renamed Person/);
    const wrong = await client.submit('/account/password', {
      _csrf: page.csrf,
      current_password: 'nope',
      password: 'long new password 1',
    });
    assert.match(wrong.html, /is not your current password/);
    const changed = await client.submit('/account/password', {
      _csrf: wrong.csrf,
      current_password: PASSWORD,
      password: 'long new password 1',
    });
    assert.match(changed.html, /1 other session\(s\) ended/);
    assert.equal(
      (await other.get('/')).status + (await third.get('/')).status,
      606,
      'both other sessions are gone',
    );
    assert.equal((await client.get('/')).status, 200, 'this one stays');
  });
});

forEachDialect('sign-up by invitation only, mail to the log', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, { PORTER_SIGNUP: 'invite' });
  });
  after(() => porter.close());

  /** The last mail the log carried to `to`. */
  async function loggedMail(to: string) {
    await porter.services.mail.idle();
    const lines = porter.logs
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const mail = lines.filter((l) => l.mail?.to === to).at(-1)?.mail;
    assert.ok(mail, `a mail to ${to} in the log`);
    return mail as { to: string; subject: string; text: string };
  }

  it('refuses an uninvited registration', async () => {
    const client = new PageClient(porter.url);
    const page = await client.page('/sign-up');
    assert.equal(page.res.status, 403);
    assert.match(page.html, /by invitation only/);
    const { csrf } = await client.page('/sign-in');
    const refused = await client.submit('/sign-up', {
      _csrf: csrf,
      name: 'Eve',
      email: 'eve@example.test',
      password: PASSWORD,
    });
    assert.match(refused.html, /by invitation only/);
    assert.equal(await porter.services.accounts.findUser('eve@example.test'), undefined);
  });

  it('says sign-up is closed when PORTER_SIGNUP=closed, and offers no sign-up link', async () => {
    const closed = await startPorter(dialect, { PORTER_SIGNUP: 'closed' });
    try {
      const client = new PageClient(closed.url);
      const page = await client.page('/sign-up');
      assert.equal(page.res.status, 403);
      assert.match(page.html, /Sign-up is closed here/);
      assert.doesNotMatch((await client.page('/sign-in')).html, /href="\/sign-up"/);
    } finally {
      await closed.close();
    }
  });

  it('invites by e-mail (the link in the log), and accepting creates the account with the role', async () => {
    const owner = await makeUser(porter);
    const client = new PageClient(porter.url);
    await client.signIn(owner.email, PASSWORD);
    const members = await client.page('/members');
    const sent = await client.submit('/members/invitations', {
      _csrf: members.csrf,
      email: 'Newbie@Example.test',
      role: 'admin',
    });
    assert.match(sent.html, /Invitation sent to Newbie@Example\.test as admin/);
    const mail = await loggedMail('Newbie@Example.test');
    assert.match(mail.subject, new RegExp(`invited you to ${owner.company.name}`));
    const link = linkIn({ ...mail, to: [mail.to], from: '' }, '/invitation');

    const invitee = new PageClient(porter.url);
    const page = await invitee.page(link);
    assert.match(page.html, /Create your account for <strong>Newbie@Example\.test<\/strong>/);
    const token = /name="token" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const joined = await invitee.submit('/invitation/register', {
      _csrf: page.csrf,
      token,
      name: 'New Bie',
      password: PASSWORD,
    });
    assert.equal(joined.path, '/');
    assert.match(
      joined.html,
      new RegExp(`${owner.company.name}(?: <span[^>]*>[^<]*</span>)*</td>\\s*<td>admin</td>`),
    );
    assert.equal((await new PageClient(porter.url).page(link)).res.status, 410, 'the link works once');
    const user = await porter.services.accounts.findUser('newbie@example.test');
    assert.deepEqual(await auditActions(porter, user?.id ?? ''), ['member.added']);
  });
});

forEachDialect('members and roles', (dialect) => {
  let porter: TestPorter;
  let mailbox: Mailbox;
  before(async () => {
    mailbox = await new Mailbox().start();
    porter = await startPorter(dialect, mailbox.env);
  });
  after(async () => {
    await porter.close();
    await mailbox.close();
  });

  /** An owner's company with an admin and a member added through invitations accepted by existing accounts. */
  async function team() {
    const owner = await makeDeveloper(porter);
    const owners = new PageClient(porter.url);
    await owners.signIn(owner.email, PASSWORD);
    const joined = [];
    for (const role of ['admin', 'member'] as const) {
      const person = await makeUser(porter);
      let page = await owners.page('/members');
      await owners.submit('/members/invitations', { _csrf: page.csrf, email: person.email, role });
      const link = linkIn(await mailbox.next(person.email, /invited you/), '/invitation');
      const client = new PageClient(porter.url);
      await client.signIn(person.email, PASSWORD);
      page = await client.page(link);
      assert.match(page.html, /Accept and join/);
      const token = /name="token" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
      assert.equal((await client.post('/invitation/accept', { _csrf: page.csrf, token })).status, 303);
      assert.equal(
        (await client.post('/invitation/accept', { _csrf: page.csrf, token })).status,
        410,
        'once',
      );
      joined.push({ ...person, client });
    }
    const [admin, member] = joined as [(typeof joined)[0], (typeof joined)[0]];
    return { owner, owners, admin, member };
  }

  it('lets an admin change roles but not make or unmake owners, and keeps the last owner', async () => {
    const { owner, owners, admin, member } = await team();
    const c = owner.company.id;
    let page = await admin.client.page('/members');
    assert.match(page.html, /<td>member<\/td>/);
    page = await admin.client.submit(`/members/${member.user.id}/role`, { _csrf: page.csrf, role: 'admin' });
    assert.match(page.html, /Role changed to admin/);
    page = await admin.client.submit(`/members/${member.user.id}/role`, { _csrf: page.csrf, role: 'owner' });
    assert.match(page.html, /Only an owner of this company can make/);
    page = await admin.client.submit(`/members/${owner.user.id}/remove`, { _csrf: page.csrf });
    assert.match(page.html, /Only an owner/);
    page = await owners.page('/members');
    page = await owners.submit(`/members/${owner.user.id}/role`, { _csrf: page.csrf, role: 'admin' });
    assert.match(page.html, /A company needs an owner/);
    page = await owners.submit(`/members/${owner.user.id}/remove`, { _csrf: page.csrf });
    assert.match(page.html, /A company needs an owner/);
    const plain = (await member.client.get('/members')).status;
    assert.equal(plain, 200, 'the member is an admin now');
    assert.deepEqual(await auditActions(porter, member.user.id), ['member.added', 'member.role_changed']);
    // Back to member: the developer token they made as an admin stops at once.
    const actor = { kind: 'user' as const, userId: member.user.id, label: member.email };
    const { token } = await porter.services.credentials.createPersonalToken(actor, c, 'as admin');
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 200);
    page = await owners.page('/members');
    page = await owners.submit(`/members/${member.user.id}/role`, { _csrf: page.csrf, role: 'member' });
    assert.match(page.html, /Role changed to member\. Their 1 developer token was revoked\./);
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 401);
    assert.equal(await porter.services.accounts.roleIn(c, owner.user.id), 'owner');
  });

  it('removes a member: their developer token stops at once and their session falls back to another company', async () => {
    const { owners, admin } = await team();
    const actor = { kind: 'user' as const, userId: admin.user.id, label: admin.email };
    const companyId =
      (await porter.services.accounts.listCompanies(admin.user.id)).find((c) => c.role === 'admin')?.id ?? '';
    const { token } = await porter.services.credentials.createPersonalToken(actor, companyId, 'ci');
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 200);
    const home = await admin.client.page('/');
    await admin.client.post('/account/company', { _csrf: home.csrf, company_id: companyId });
    assert.match((await admin.client.page('/')).html, /data-testid="active-company">[^<]*Company/);

    let page = await owners.page('/members');
    page = await owners.submit(`/members/${admin.user.id}/remove`, { _csrf: page.csrf });
    assert.match(page.html, /Member removed; 1 developer token/);
    assert.match(
      page.html,
      new RegExp(`Recent activity[^]*removed ${admin.email}[^]*invited ${admin.email} as admin`),
    );
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 401);
    assert.equal((await callApi(porter, 'GET', '/v1/me', token)).status, 401);
    const after = await admin.client.page('/');
    assert.equal(after.res.status, 200);
    assert.match(
      after.html,
      new RegExp(`data-testid="active-company">${admin.company.name}<`),
      'back on their own company',
    );
    assert.equal((await admin.client.get('/members')).status, 200, 'owner of their own company');
    assert.deepEqual((await auditActions(porter, admin.user.id)).at(-1), 'member.removed');
  });

  it('resends an invitation with a new link and revokes one', async () => {
    const { owners } = await team();
    let page = await owners.page('/members');
    page = await owners.submit('/members/invitations', {
      _csrf: page.csrf,
      email: 'later@example.test',
      role: 'member',
    });
    const first = linkIn(await mailbox.next('later@example.test', /invited you/), '/invitation');
    const id = /action="\/members\/invitations\/(inv_[a-z0-9]+)\/resend"/.exec(page.html)?.[1] ?? '';
    page = await owners.submit(`/members/invitations/${id}/resend`, { _csrf: page.csrf });
    assert.match(page.html, /the old one no longer works/);
    const second = linkIn(await mailbox.next('later@example.test', /invited you/), '/invitation');
    const visitor = new PageClient(porter.url);
    assert.equal((await visitor.page(first)).res.status, 410);
    assert.equal((await visitor.page(second)).res.status, 200);
    page = await owners.submit(`/members/invitations/${id}/revoke`, { _csrf: page.csrf });
    assert.match(page.html, /Invitation revoked/);
    assert.equal((await visitor.page(second)).res.status, 410);
    assert.deepEqual(await auditActions(porter, id), [
      'invitation.created',
      'invitation.resent',
      'invitation.revoked',
    ]);
  });

  it("cannot reach another company's members or invitations", async () => {
    const a = await team();
    const b = await team();
    let page = await b.owners.page('/members');
    await b.owners.submit('/members/invitations', {
      _csrf: page.csrf,
      email: 'b-only@example.test',
      role: 'member',
    });
    await mailbox.next('b-only@example.test', /invited you/);
    page = await b.owners.page('/members');
    const bInvitation = /action="\/members\/invitations\/(inv_[a-z0-9]+)\/revoke"/.exec(page.html)?.[1] ?? '';
    const mine = await a.owners.page('/members');
    for (const path of [
      `/members/${b.member.user.id}/role`,
      `/members/${b.member.user.id}/remove`,
      `/members/invitations/${bInvitation}/revoke`,
      `/members/invitations/${bInvitation}/resend`,
    ]) {
      const res = await a.owners.post(path, { _csrf: mine.csrf, role: 'admin' });
      assert.equal(res.status, 404, path);
    }
    assert.equal(await porter.services.accounts.roleIn(b.owner.company.id, b.member.user.id), 'member');
    assert.match((await b.owners.page('/members')).html, /b-only@example\.test/, 'still pending');
  });

  it('shows the Members page to owners and admins only', async () => {
    const { member } = await team();
    const res = await member.client.page('/members');
    assert.equal(res.res.status, 403);
  });
});
