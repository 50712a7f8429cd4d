import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { InstallDebugger } from '../src/debugger/service.js';
import { callApi, makeDeveloper } from './helpers/api.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { ALLOWED_ORIGIN, produceFailures } from './helpers/install-failures.js';
import { exchangeBody, postToken } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

type Produced = Awaited<ReturnType<typeof produceFailures>>;
interface Entry {
  endpoint: string;
  error: string;
  cause: { kind: string } & Record<string, unknown>;
  message: string;
  created_at: string;
}

/** Each expected failure is listed once, with its endpoint, error code and explanation. */
function assertExplained(entries: Entry[], produced: Produced) {
  for (const want of produced.expected) {
    const found = entries.filter((e) => e.cause.kind === want.kind);
    assert.equal(
      found.length,
      1,
      `one ${want.kind} entry in ${JSON.stringify(entries.map((e) => e.cause.kind))}`,
    );
    const [entry] = found as [Entry];
    assert.equal(entry.endpoint, want.endpoint, want.kind);
    assert.equal(entry.error, want.error, want.kind);
    assert.match(entry.message, want.message);
  }
  assert.equal(entries.length, produced.expected.length, 'nothing else was recorded');
}

function assertNoSecrets(text: string, produced: Produced) {
  for (const secret of produced.sent) assert.ok(!text.includes(secret), `"${secret.slice(0, 12)}…" leaked`);
}

forEachDialect('install debugger', (dialect) => {
  let porter: TestPorter;
  let produced: Produced;
  before(async () => {
    porter = await startPorter(dialect);
    produced = await produceFailures(porter);
  });
  after(() => porter.close());

  it('lists every failure with its endpoint, error code and cause in plain words (developer API)', async () => {
    const { partner } = produced;
    const token = (
      await porter.services.credentials.createPersonalToken(partner.actor, partner.dev.company.id, 't')
    ).token;
    const res = await callApi(porter, 'GET', `/developer/v1/apps/${partner.app.id}/debugger`, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertExplained(res.body.failures, produced);
    const times = res.body.failures.map((e: Entry) => e.created_at);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    const mismatch = res.body.failures.find((e: Entry) => e.cause.kind === 'redirect_uri_mismatch');
    assert.deepEqual(mismatch.cause.registered, [partner.redirectUri]);
    assertNoSecrets(JSON.stringify(res.body), produced);
  });

  it('lists the same entries in the CLI, as JSON and in words', async () => {
    const env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url };
    const args = [
      'apps',
      'debugger',
      '--company',
      produced.partner.dev.company.id,
      '--app',
      produced.partner.app.id,
    ];
    const json = await porterCli([...args, '--json'], env);
    assert.equal(json.status, 0, json.err);
    assertExplained(JSON.parse(json.out).failures, produced);
    const human = await porterCli(args, env);
    assert.equal(human.status, 0, human.err);
    for (const want of produced.expected) assert.match(human.out, want.message);
    assert.match(human.out, /\/launchpad\/v1\/token\.json {2}invalid_grant/);
    assertNoSecrets(json.out + human.out, produced);
  });

  it('stores no secret, code, verifier or token', async () => {
    const rows = await porter.db.selectFrom('install_failures').selectAll().execute();
    assert.equal(rows.length, produced.expected.length);
    assertNoSecrets(JSON.stringify(rows), produced);
  });

  it('records nothing for a client ID no app has, and the OAuth answer is unchanged', async () => {
    const before = await porter.db.selectFrom('install_failures').select('id').execute();
    const res = await postToken(porter, {
      grant_type: 'authorization_code',
      code: 'porter_ac_x',
      redirect_uri: 'https://x.example/cb',
      client_id: 'nobody',
      client_secret: 'porter_cs_nothing',
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    const after = await porter.db.selectFrom('install_failures').select('id').execute();
    assert.equal(after.length, before.length);
  });

  it("shows an app's failures to its own developers only", async () => {
    const stranger = await makeDeveloper(porter);
    const res = await callApi(
      porter,
      'GET',
      `/developer/v1/apps/${produced.partner.app.id}/debugger`,
      stranger.token,
    );
    assert.equal(res.status, 404);
    const otherApp = produced.other;
    const token = (
      await porter.services.credentials.createPersonalToken(otherApp.actor, otherApp.dev.company.id, 't')
    ).token;
    const own = await callApi(porter, 'GET', `/developer/v1/apps/${otherApp.app.id}/debugger`, token);
    assert.deepEqual(
      own.body.failures,
      [],
      "the other app's secret was misused, but the failure is the partner's",
    );
  });

  describe('bounds', () => {
    it('keeps at most the newest N per app, caps writes per minute, and purges after seven days', async () => {
      const appId = produced.other.app.id;
      const small = new InstallDebugger(porter.db, porter.services.apps, {
        keepPerApp: 3,
        writesPerMinute: 5,
      });
      const cause = { kind: 'pkce_mismatch' as const };
      const written = [];
      for (let i = 0; i < 7; i++)
        written.push(await small.record('/oauth/token', 'invalid_grant', { appId, cause }));
      assert.deepEqual(written, [true, true, true, true, true, false, false]);
      const { actor, dev } = produced.other;
      assert.equal((await small.list(actor, dev.company.id, appId)).length, 3);
      const old = new Date(Date.now() - 8 * 86_400_000).toISOString();
      await porter.db
        .updateTable('install_failures')
        .set({ created_at: old })
        .where('app_id', '=', appId)
        .execute();
      assert.equal(
        (await small.list(actor, dev.company.id, appId)).length,
        0,
        'older than seven days is not shown',
      );
      await porter.services.installDebugger.purgeExpired();
      const left = await porter.db
        .selectFrom('install_failures')
        .select('id')
        .where('app_id', '=', appId)
        .execute();
      assert.equal(left.length, 0);
    });

    it('cuts long values before storing them', async () => {
      const long = `https://partner.example/${'a'.repeat(3000)}`;
      await fetch(
        `${porter.url}/oauth/authorize?response_type=code&client_id=${produced.other.clientId}&redirect_uri=${long}`,
      );
      const row = await porter.db
        .selectFrom('install_failures')
        .select('cause')
        .where('app_id', '=', produced.other.app.id)
        .executeTakeFirstOrThrow();
      assert.ok(row.cause.length < 2300, `stored ${row.cause.length} characters`);
    });
  });

  // Last: it takes the table away.
  it('answers as before when a failure cannot be recorded, and logs why', async () => {
    await sql`DROP TABLE install_failures`.execute(porter.db);
    const { partner } = produced;
    const res = await postToken(
      porter,
      exchangeBody({ ...partner, clientSecret: 'porter_cs_wrong' }, 'porter_ac_x'),
      { headers: { origin: ALLOWED_ORIGIN } },
    );
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    const page = await fetch(
      `${porter.url}/oauth/authorize?response_type=code&client_id=${partner.clientId}&redirect_uri=x`,
    );
    assert.equal(page.status, 400);
    assert.ok(porter.logs.some((l) => l.includes('recording a failed install request failed')));
  });
});
