import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PageClient } from './helpers/browserless.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect(
  'platform admins: porter admin grant, list and revoke; the admin area is theirs alone',
  (dialect) => {
    let porter: TestPorter;
    let env: NodeJS.ProcessEnv;
    before(async () => {
      porter = await startPorter(dialect);
      env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url };
    });
    after(() => porter.close());

    it('grants and revokes from the command line, audited; the admin area follows at once', async () => {
      const person = await makeUser(porter);
      const browser = new PageClient(porter.url);
      assert.equal((await browser.signIn(person.email, person.password)).status, 303);
      assert.equal((await browser.get('/admin')).status, 404, 'not an admin yet');
      assert.doesNotMatch(await (await browser.get('/developer')).text(), /href="\/admin"/);

      const granted = await porterCli(
        ['admin', 'grant', '--user', person.email.toUpperCase(), '--json'],
        env,
      );
      assert.equal(granted.status, 0, granted.err);
      assert.deepEqual(JSON.parse(granted.out), {
        user_id: person.user.id,
        email: person.email,
        platform_admin: true,
        changed: true,
      });
      const again = await porterCli(['admin', 'grant', '--user', person.email], env);
      assert.match(again.out, /already was a platform admin/);
      const listed = JSON.parse((await porterCli(['admin', 'list', '--json'], env)).out).admins;
      assert.deepEqual(
        listed.map((a: { email: string }) => a.email),
        [person.email],
      );

      const admin = await browser.get('/admin');
      assert.equal(admin.status, 303);
      assert.equal(admin.headers.get('location'), '/admin/reviews');
      assert.match(await (await browser.get('/developer')).text(), /href="\/admin">Admin</);

      const revoked = await porterCli(['admin', 'revoke', '--user', person.email], env);
      assert.match(revoked.out, /no longer a platform admin/);
      assert.equal((await browser.get('/admin')).status, 404, 'revoked: refused on the next request');
      const actions = (
        await porter.db
          .selectFrom('audit_events')
          .select('action')
          .where('target_id', '=', person.user.id)
          .orderBy('id')
          .execute()
      ).map((e) => e.action);
      assert.deepEqual(
        actions.filter((a) => a.startsWith('platform_admin.')),
        ['platform_admin.granted', 'platform_admin.revoked'],
      );
      const unknown = await porterCli(['admin', 'grant', '--user', 'nobody@example.test', '--json'], env);
      assert.equal(unknown.status, 1);
      assert.equal(JSON.parse(unknown.err).error.code, 'not_found');
    });

    it('refuses a platform action to a user who is not an admin, and allows the operator', async () => {
      const person = await makeUser(porter);
      await assert.rejects(
        porter.services.policy.authorizePlatform({
          kind: 'user',
          userId: person.user.id,
          label: person.email,
        }),
        /Only platform admins/,
      );
      await porter.services.policy.authorizePlatform({ kind: 'operator', label: 'cli' });
    });
  },
);
