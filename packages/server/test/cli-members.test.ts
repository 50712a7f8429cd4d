import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { linkIn, Mailbox } from './helpers/mailbox.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('porter company/user/member list and invite create', (dialect) => {
  let porter: TestPorter;
  let mailbox: Mailbox;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    mailbox = await new Mailbox().start();
    porter = await startPorter(dialect, mailbox.env);
    env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url, ...mailbox.env };
  });
  after(async () => {
    await porter.close();
    await mailbox.close();
  });

  it('lists companies, users and members, in JSON and in words', async () => {
    const owner = await makeUser(porter, { company: 'Listed Co' });
    const companies = await porterCli(['company', 'list', '--json'], env);
    assert.equal(companies.status, 0, companies.err);
    const listed = JSON.parse(companies.out).companies.find((c: { id: string }) => c.id === owner.company.id);
    assert.deepEqual(listed, {
      id: owner.company.id,
      name: 'Listed Co',
      region: 'US',
      test: false,
      members: 1,
      created_at: owner.company.created_at,
    });
    const users = JSON.parse((await porterCli(['user', 'list', '--json'], env)).out).users;
    assert.ok(users.some((u: { email: string; verified: boolean }) => u.email === owner.email && u.verified));
    assert.doesNotMatch(JSON.stringify(users), /scrypt/, 'no password hashes');
    const members = await porterCli(['member', 'list', '--company', owner.company.id, '--json'], env);
    assert.deepEqual(
      JSON.parse(members.out).members.map((m: { email: string; role: string }) => [m.email, m.role]),
      [[owner.email, 'owner']],
    );
    assert.match((await porterCli(['member', 'list', '--company', owner.company.id], env)).out, /owner/);
    const unknown = await porterCli(['member', 'list', '--company', 'cmp_0000000000000000', '--json'], env);
    assert.equal(unknown.status, 1);
    assert.equal(JSON.parse(unknown.err).error.code, 'not_found');
  });

  it('invites by e-mail from the command line; the mailed link works once', async () => {
    const owner = await makeUser(porter);
    const res = await porterCli(
      [
        'invite',
        'create',
        '--company',
        owner.company.id,
        '--email',
        'cli@example.test',
        '--role',
        'member',
        '--json',
      ],
      env,
    );
    assert.equal(res.status, 0, res.err);
    const out = JSON.parse(res.out);
    assert.equal(out.mail, 'smtp');
    assert.match(out.id, /^inv_/);
    assert.doesNotMatch(res.out, /token=/, 'the link is mailed, never printed');
    const link = linkIn(await mailbox.next('cli@example.test', /invited you/), '/invitation');
    assert.match(await (await fetch(`${porter.url}${link}`)).text(), /as <strong>member<\/strong>/);
    const bad = await porterCli(
      [
        'invite',
        'create',
        '--company',
        owner.company.id,
        '--email',
        'x@example.test',
        '--role',
        'boss',
        '--json',
      ],
      env,
    );
    assert.equal(JSON.parse(bad.err).error.errors.role, 'must be owner, admin or member');
  });

  it('keeps the last owner when member add would demote them', async () => {
    const owner = await makeUser(porter);
    const res = await porterCli(
      ['member', 'add', '--company', owner.company.id, '--user', owner.email, '--role', 'member', '--json'],
      env,
    );
    assert.equal(res.status, 1);
    assert.match(JSON.parse(res.err).error.message, /needs an owner/);
  });
});
