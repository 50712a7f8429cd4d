import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { purgeExpired } from '../src/services.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// The hourly purge (main.ts): what has expired goes, what is live stays.
forEachDialect('purging expired records', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  const past = '2000-01-01T00:00:00.000Z';

  it('drops expired sessions, stale sign-in counters and unread flashes, and keeps live ones', async () => {
    const { user, email, password } = await makeUser(porter);
    const stale = new PageClient(porter.url);
    await stale.signIn(email, password);
    const live = new PageClient(porter.url);
    await live.signIn(email, password);
    await new PageClient(porter.url).signIn('nobody@example.test', 'wrong wrong wrong');
    await porter.services.flash.put(null, '/sign-in', { notice: 'one' });
    await porter.services.flash.put(null, '/sign-in', { notice: 'two' });

    // Time passes for some of them: the fixtures above were made through the services.
    const sessions = await porter.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(sessions.length, 2);
    const staleHash = sessions[0]?.id_hash ?? '';
    await porter.db
      .updateTable('sessions')
      .set({ expires_at: past })
      .where('id_hash', '=', staleHash)
      .execute();
    await porter.db.updateTable('sign_in_failures').set({ window_started_at: past }).execute();
    const flashes = await porter.db.selectFrom('flashes').select('id_hash').execute();
    const aged = flashes[0]?.id_hash ?? '';
    assert.ok(flashes.length >= 2);
    await porter.db.updateTable('flashes').set({ expires_at: past }).where('id_hash', '=', aged).execute();

    await purgeExpired(porter.services);

    const left = await porter.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(
      left.map((s) => s.id_hash),
      sessions.map((s) => s.id_hash).filter((h) => h !== staleHash),
    );
    assert.equal((await porter.db.selectFrom('sign_in_failures').selectAll().execute()).length, 0);
    const flashesLeft = await porter.db.selectFrom('flashes').select('id_hash').execute();
    assert.deepEqual(
      flashesLeft.map((f) => f.id_hash),
      flashes.map((f) => f.id_hash).filter((h) => h !== aged),
    );
    const signedIn = [await stale.get('/'), await live.get('/')].map((r) => r.status).sort();
    assert.deepEqual(signedIn, [200, 303], 'one session still works, the purged one is gone');
  });
});
