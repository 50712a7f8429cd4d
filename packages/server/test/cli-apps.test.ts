import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callApi, expectStatusWithin } from './helpers/api.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

const SCOPES = 'events:write,ecommerce:write';

forEachDialect('porter apps and dev-token CLI', (dialect) => {
  let porter: TestPorter;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    porter = await startPorter(dialect);
    env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url };
  });
  after(() => porter.close());

  /** Runs a command with --json, expects exit 0, and returns the parsed output. */
  async function cliJson(args: string[]) {
    const res = await porterCli([...args, '--json'], env);
    assert.equal(res.status, 0, `${args.join(' ')}: ${res.err}`);
    return JSON.parse(res.out);
  }

  async function newCompany() {
    return (await makeUser(porter)).company.id;
  }

  function createApp(companyId: string, name = 'Shipit', extra: string[] = []) {
    return cliJson(['apps', 'create', '--company', companyId, '--name', name, '--scopes', SCOPES, ...extra]);
  }

  const distribute = (companyId: string, appId: string, ...urls: string[]) =>
    cliJson([
      'apps',
      'enable-distribution',
      '--company',
      companyId,
      '--app',
      appId,
      ...urls.flatMap((u) => ['--redirect-url', u]),
    ]);

  it('creates a private app whose API key works on /v1/me, and lists it', async () => {
    const companyId = await newCompany();
    const app = await createApp(companyId, 'Shipit', [
      '--description',
      'Ships orders',
      '--redirect-url',
      'https://shipit.example/cb',
      '--redirect-url',
      'http://localhost:8080/cb',
      '--allowed-origin',
      'https://shipit.example',
      '--homepage-url',
      'https://shipit.example',
    ]);
    assert.match(app.id, /^app_/);
    assert.equal(app.status, 'private');
    assert.equal(app.description, 'Ships orders');
    assert.deepEqual(app.redirect_urls, ['https://shipit.example/cb', 'http://localhost:8080/cb']);
    assert.deepEqual(app.allowed_origins, ['https://shipit.example']);
    assert.equal(app.homepage_url, 'https://shipit.example');
    assert.match(app.api_key, /^porter_ak_[0-9A-Za-z]{49}$/);

    const me = await callApi(porter, 'GET', '/v1/me', app.api_key);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.application, { id: app.id, name: 'Shipit' });
    assert.equal(me.body.company.id, companyId);
    assert.deepEqual(me.body.scopes, ['events:write', 'ecommerce:write']);

    const listed = await cliJson(['apps', 'list', '--company', companyId]);
    assert.deepEqual(
      listed.apps.map((a: { id: string; status: string; api_key?: string }) => [a.id, a.status, a.api_key]),
      [[app.id, 'private', undefined]],
    );
    const human = await porterCli(['apps', 'list', '--company', companyId], env);
    assert.match(human.out, new RegExp(`${app.id}\\s+private\\s+Shipit`));
  });

  it('says in human output that the API key is shown once', async () => {
    const companyId = await newCompany();
    const res = await porterCli(
      ['apps', 'create', '--company', companyId, '--name', 'Once', '--scopes', SCOPES],
      env,
    );
    assert.equal(res.status, 0, res.err);
    assert.match(res.out, /API key \(shown once[^)]*\): porter_ak_/);
  });

  it('enables distribution: unlisted, a porter_cs_ secret and a distribution URL', async () => {
    const companyId = await newCompany();
    const app = await createApp(companyId);
    const res = await distribute(companyId, app.id, 'https://shipit.example/cb?src=porter', 'myapp://cb');
    assert.equal(res.status, 'unlisted');
    assert.match(res.client_secret, /^porter_cs_[0-9A-Za-z]{49}$/);
    assert.ok(res.client_id);
    const url = new URL(res.distribution_url);
    assert.equal(`${url.origin}${url.pathname}`, `${porter.url}/integrations/oauth-install`);
    assert.equal(url.searchParams.get('client_id'), res.client_id);
    assert.equal(url.searchParams.get('redirect_uri'), 'https://shipit.example/cb?src=porter');
    assert.equal(url.searchParams.get('scope'), 'events:write ecommerce:write');
    const listed = await cliJson(['apps', 'list', '--company', companyId]);
    assert.equal(listed.apps[0].status, 'unlisted');

    const again = await porterCli(
      [
        'apps',
        'enable-distribution',
        '--company',
        companyId,
        '--app',
        app.id,
        '--redirect-url',
        'https://x.example/cb',
      ],
      env,
    );
    assert.equal(again.status, 1);
    assert.match(again.err, /already enabled/);
  });

  it('regenerates the client secret: a new one for the same client ID', async () => {
    const companyId = await newCompany();
    const app = await createApp(companyId);
    const first = await distribute(companyId, app.id, 'https://shipit.example/cb');
    const res = await cliJson(['apps', 'regenerate-secret', '--company', companyId, '--app', app.id]);
    assert.deepEqual(Object.keys(res).sort(), ['client_id', 'client_secret', 'previous_secret_expires_at']);
    assert.equal(res.client_id, first.client_id);
    assert.match(res.client_secret, /^porter_cs_/);
    assert.notEqual(res.client_secret, first.client_secret);
    assert.equal(res.previous_secret_expires_at, null, 'by default the old secret stops at once');

    // --keep-old: the old secret keeps working for the window; a window past 24 h is refused.
    const kept = await cliJson([
      'apps',
      'regenerate-secret',
      '--company',
      companyId,
      '--app',
      app.id,
      '--keep-old',
      '90m',
    ]);
    const until = Date.parse(kept.previous_secret_expires_at);
    assert.ok(Math.abs(until - (Date.now() + 90 * 60_000)) < 60_000, kept.previous_secret_expires_at);
    const refused = await porterCli(
      ['apps', 'regenerate-secret', '--company', companyId, '--app', app.id, '--keep-old', '2d'],
      env,
    );
    assert.equal(refused.status, 1);
    assert.match(refused.err, /keep_old/);
  });

  it('regenerates the API key: the old one gets 401 on /v1/me, the new one 200', async () => {
    const companyId = await newCompany();
    const app = await createApp(companyId);
    const res = await cliJson(['apps', 'regenerate-api-key', '--company', companyId, '--app', app.id]);
    assert.match(res.api_key, /^porter_ak_/);
    assert.notEqual(res.api_key, app.api_key);
    // The CLI is another process to the server: Porter honours its revocation within a second.
    await expectStatusWithin(porter, '/v1/me', app.api_key, 401, 1500);
    const me = await callApi(porter, 'GET', '/v1/me', res.api_key);
    assert.equal(me.status, 200);
    assert.equal(me.body.application.id, app.id);
  });

  it('shows an app with its audit log, every change done by the cli', async () => {
    const companyId = await newCompany();
    const app = await createApp(companyId);
    await distribute(companyId, app.id, 'https://shipit.example/cb');
    await cliJson(['apps', 'regenerate-secret', '--company', companyId, '--app', app.id]);
    await cliJson(['apps', 'regenerate-api-key', '--company', companyId, '--app', app.id]);
    const shown = await cliJson(['apps', 'show', '--company', companyId, '--app', app.id]);
    assert.equal(shown.id, app.id);
    assert.equal(shown.status, 'unlisted');
    assert.equal(shown.api_key, undefined, 'the API key is never shown again');
    assert.equal(shown.client_secret, undefined, 'the client secret is never shown again');
    const events = shown.audit_log as { action: string; actor: string; details: object }[];
    assert.deepEqual(events.map((e) => e.action).sort(), [
      'app.api_key_regenerated',
      'app.client_secret_regenerated',
      'app.created',
      'app.distribution_enabled',
    ]);
    assert.ok(events.every((e) => e.actor === 'cli'));
    assert.deepEqual(events.find((e) => e.action === 'app.created')?.details, { name: 'Shipit' });

    const human = await porterCli(['apps', 'show', '--company', companyId, '--app', app.id], env);
    assert.equal(human.status, 0, human.err);
    assert.match(human.out, /app\.distribution_enabled\s+by cli/);
  });

  it('deletes an app only when --confirm repeats its name; then its API key gets 401', async () => {
    const companyId = await newCompany();
    const app = await createApp(companyId, 'Keep Me');
    const del = ['apps', 'delete', '--company', companyId, '--app', app.id, '--confirm'];

    const wrong = await porterCli([...del, 'Keep'], env);
    assert.equal(wrong.status, 1);
    assert.match(wrong.err, /--confirm type the app's name, Keep Me, to confirm/);
    assert.equal((await callApi(porter, 'GET', '/v1/me', app.api_key)).status, 200);
    assert.equal((await cliJson(['apps', 'list', '--company', companyId])).apps.length, 1);

    const res = await cliJson([...del, 'Keep Me']);
    assert.deepEqual(res, { id: app.id, deleted: true, revoked_tokens: 1 });
    // The CLI is another process to the server: Porter honours its revocation within a second.
    await expectStatusWithin(porter, '/v1/me', app.api_key, 401, 1500);
    assert.deepEqual((await cliJson(['apps', 'list', '--company', companyId])).apps, []);
    const shown = await porterCli(['apps', 'show', '--company', companyId, '--app', app.id], env);
    assert.equal(shown.status, 1);
    assert.match(shown.err, /App not found/);
  });

  it("refuses another company's app id with App not found, changing nothing", async () => {
    const mine = await newCompany();
    const theirs = await newCompany();
    const app = await createApp(theirs);
    const commands = [
      ['apps', 'show'],
      ['apps', 'regenerate-api-key'],
      ['apps', 'regenerate-secret'],
      ['apps', 'enable-distribution', '--redirect-url', 'https://x.example/cb'],
      ['apps', 'delete', '--confirm', 'Shipit'],
    ];
    for (const cmd of commands) {
      const res = await porterCli([...cmd, '--company', mine, '--app', app.id], env);
      assert.equal(res.status, 1, cmd.join(' '));
      assert.match(res.err, /App not found/, cmd.join(' '));
    }
    assert.equal((await callApi(porter, 'GET', '/v1/me', app.api_key)).status, 200);
    const missing = await porterCli(['apps', 'list', '--company', 'cmp_missing'], env);
    assert.equal(missing.status, 1);
    assert.match(missing.err, /Company not found/);
  });

  it('refuses bad input with exit status 1 and a message naming the option', async () => {
    const companyId = await newCompany();
    const create = ['apps', 'create', '--company', companyId, '--name', 'Bad'];
    const cases: [string[], RegExp][] = [
      [[...create, '--scopes', 'events:write,teleport:write'], /--scopes unknown scope: teleport:write/],
      [[...create, '--scopes', ''], /--scopes choose at least one scope/],
      [
        [...create, '--scopes', SCOPES, '--redirect-url', 'http://shipit.example/cb'],
        /--redirect-url http:\/\/shipit\.example\/cb must use https/,
      ],
      [[...create, '--scopes', SCOPES, '--allowed-origin', 'https://a.example/path'], /--allowed-origin/],
      [[...create, '--scopes', SCOPES, '--webhook-url', 'ftp://a.example'], /--webhook-url must be an https/],
      [['apps', 'create', '--company', companyId, '--name', ' ', '--scopes', SCOPES], /--name is required/],
    ];
    for (const [args, message] of cases) {
      const res = await porterCli(args, env);
      assert.equal(res.status, 1, args.join(' '));
      assert.match(res.err, message, args.join(' '));
    }
    assert.deepEqual((await cliJson(['apps', 'list', '--company', companyId])).apps, []);

    const app = await createApp(companyId);
    const res = await porterCli(
      [
        'apps',
        'enable-distribution',
        '--company',
        companyId,
        '--app',
        app.id,
        '--redirect-url',
        'http://shipit.example/cb',
        '--json',
      ],
      env,
    );
    assert.equal(res.status, 1);
    assert.match(JSON.parse(res.err).error.errors['redirect-url'], /must use https/);
    assert.equal((await cliJson(['apps', 'list', '--company', companyId])).apps[0].status, 'private');
  });

  it("creates a developer token that lists its company's apps on the developer API", async () => {
    const dev = await makeUser(porter);
    const app = await createApp(dev.company.id, 'Listed');
    await createApp(await newCompany(), 'Elsewhere');
    const res = await cliJson([
      'dev-token',
      'create',
      '--user',
      dev.email.toUpperCase(),
      '--company',
      dev.company.id,
      '--name',
      'ci',
    ]);
    assert.match(res.token, /^porter_pt_[0-9A-Za-z]{49}$/);
    assert.match(res.id, /^tok_/);
    assert.equal(res.name, 'ci');
    const listed = await callApi(porter, 'GET', '/developer/v1/apps', res.token);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.apps.map((a: { id: string }) => a.id),
      [app.id],
    );
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', app.api_key)).status, 401);
  });

  it('refuses a developer token for a plain member, an unknown user or a stranger', async () => {
    const owner = await makeUser(porter);
    const member = await makeUser(porter);
    await porter.services.accounts.addMember({
      companyId: owner.company.id,
      email: member.email,
      role: 'member',
    });
    const create = (email: string) =>
      porterCli(['dev-token', 'create', '--user', email, '--company', owner.company.id], env);
    const plain = await create(member.email);
    assert.equal(plain.status, 1);
    assert.match(plain.err, /Only owners and admins/);
    const unknown = await create('nobody@example.test');
    assert.equal(unknown.status, 1);
    assert.match(unknown.err, /User not found/);
    const stranger = await makeUser(porter);
    const res = await create(stranger.email);
    assert.equal(res.status, 1);
    assert.match(res.err, /Company not found/);
  });
});

const COMMANDS = [
  'apps list',
  'apps create',
  'apps show',
  'apps enable-distribution',
  'apps regenerate-secret',
  'apps regenerate-api-key',
  'apps delete',
  'dev-token create',
];

describe('porter apps and dev-token CLI usage', () => {
  it('prints help for every command and exits 0', async () => {
    const overview = await porterCli(['--help'], {});
    for (const cmd of COMMANDS) {
      assert.match(overview.out, new RegExp(`\\b${cmd}\\b`));
      const help = await porterCli([...cmd.split(' '), '--help'], {});
      assert.equal(help.status, 0, cmd);
      assert.match(help.out, new RegExp(`Usage: porter ${cmd} `));
      assert.match(help.out, /--json/);
      assert.match(help.out, /--company <company> \(required\)/);
    }
  });

  it('answers missing and unknown options with exit status 2', async () => {
    const missing = await porterCli(['apps', 'show', '--company', 'cmp_x', '--json'], {});
    assert.equal(missing.status, 2);
    assert.equal(JSON.parse(missing.err).error.code, 'usage');
    assert.match(missing.err, /--app/);
    const noConfirm = await porterCli(['apps', 'delete', '--company', 'c', '--app', 'a'], {});
    assert.equal(noConfirm.status, 2);
    assert.match(noConfirm.err, /--confirm/);
    const unknown = await porterCli(['apps', 'list', '--company', 'c', '--colour', 'red'], {});
    assert.equal(unknown.status, 2);
  });
});
