import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PageClient } from './helpers/browserless.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('porter CLI', (dialect) => {
  let porter: TestPorter;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    porter = await startPorter(dialect);
    env = { DATABASE_URL: porter.database.url };
  });
  after(() => porter.close());

  it('creates a company, a user and a membership that can then sign in, while the server runs', async () => {
    const company = await porterCli(
      ['company', 'create', '--name', 'Initech', '--region', 'eu', '--json'],
      env,
    );
    assert.equal(company.status, 0, company.err);
    const c = JSON.parse(company.out);
    assert.match(c.id, /^cmp_/);
    assert.deepEqual(
      { name: c.name, region: c.region, test: c.test },
      { name: 'Initech', region: 'EU', test: false },
    );

    const user = await porterCli(
      ['user', 'create', '--email', 'Peter@Initech.example', '--password', 'tps reports 4ever', '--json'],
      env,
    );
    assert.equal(user.status, 0, user.err);
    assert.equal(JSON.parse(user.out).email, 'Peter@Initech.example');
    assert.doesNotMatch(user.out, /tps reports/, 'the password is never printed');

    const member = await porterCli(
      ['member', 'add', '--company', c.id, '--user', 'peter@initech.example', '--role', 'admin', '--json'],
      env,
    );
    assert.equal(member.status, 0, member.err);
    assert.equal(JSON.parse(member.out).role, 'admin');

    const client = new PageClient(porter.url);
    assert.equal(
      (await client.signInOutcome('peter@initech.example', 'tps reports 4ever')).outcome,
      'signed-in',
    );
    const home = await (await client.get('/')).text();
    assert.match(home, /Initech/);
  });

  it('reads the password from standard input with --password-stdin', async () => {
    const res = await porterCli(
      ['user', 'create', '--email', 'stdin@example.test', '--password-stdin', '--json'],
      env,
      'from stdin pw 1\n',
    );
    assert.equal(res.status, 0, res.err);
    const client = new PageClient(porter.url);
    assert.equal((await client.signInOutcome('stdin@example.test', 'from stdin pw 1')).outcome, 'signed-in');
    const both = await porterCli(
      ['user', 'create', '--email', 'x@example.test', '--password', 'long enough pw', '--password-stdin'],
      env,
    );
    assert.equal(both.status, 2);
    const neither = await porterCli(['user', 'create', '--email', 'x@example.test'], env);
    assert.equal(neither.status, 2);
  });

  it('creates a test company with --test', async () => {
    const res = await porterCli(['company', 'create', '--name', 'Sandbox', '--test', '--json'], env);
    assert.equal(res.status, 0, res.err);
    assert.equal(JSON.parse(res.out).test, true);
  });

  it('refuses bad input with a clear message and exit status 1', async () => {
    const cases: [string[], RegExp][] = [
      [['company', 'create', '--name', ''], /name is required/],
      [['company', 'create', '--name', 'x'.repeat(101)], /name must be at most 100 characters/],
      [['company', 'create', '--name', 'A', '--region', 'not a region!'], /region must be 2 to 6 letters/],
      [
        ['user', 'create', '--email', 'not-an-email', '--password', 'long enough pw'],
        /email must be a valid email/,
      ],
      [
        ['user', 'create', '--email', 'short@pw.example', '--password', 'short'],
        /password must be at least 10/,
      ],
      [
        ['member', 'add', '--company', 'cmp_missing', '--user', 'a@b.example', '--role', 'owner'],
        /Company not found/,
      ],
      [
        ['member', 'add', '--company', 'cmp_missing', '--user', 'a@b.example', '--role', 'king'],
        /role must be owner, admin or member/,
      ],
    ];
    for (const [args, message] of cases) {
      const res = await porterCli(args, env);
      assert.equal(res.status, 1, args.join(' '));
      assert.match(res.err, message, args.join(' '));
    }
  });

  it('refuses a second user with the same email in another letter case', async () => {
    await porterCli(['user', 'create', '--email', 'dup@example.test', '--password', 'long enough pw'], env);
    const res = await porterCli(
      ['user', 'create', '--email', 'DUP@example.test', '--password', 'long enough pw', '--json'],
      env,
    );
    assert.equal(res.status, 1);
    assert.equal(JSON.parse(res.err).error.code, 'conflict');
  });
});

describe('porter CLI usage', () => {
  it('prints help for every command and exits 0', async () => {
    const overview = await porterCli(['--help'], {});
    assert.equal(overview.status, 0);
    for (const cmd of ['start', 'migrate', 'company create', 'user create', 'member add']) {
      assert.match(overview.out, new RegExp(`\\b${cmd}\\b`));
      const help = await porterCli([...cmd.split(' '), '--help'], {});
      assert.equal(help.status, 0, cmd);
      assert.match(help.out, new RegExp(`Usage: porter ${cmd}`));
      assert.match(help.out, /--json/);
    }
  });

  it('answers unknown commands, unknown options and missing options with exit status 2', async () => {
    assert.equal((await porterCli(['frobnicate'], {})).status, 2);
    const unknown = await porterCli(['company', 'create', '--name', 'A', '--colour', 'red'], {});
    assert.equal(unknown.status, 2);
    assert.match(unknown.err, /colour/);
    const missing = await porterCli(['user', 'create', '--email', 'a@b.example', '--json'], {});
    assert.equal(missing.status, 2);
    assert.equal(JSON.parse(missing.err).error.code, 'usage');
  });

  it('stops on an invalid DATABASE_URL with a message naming it', async () => {
    const res = await porterCli(['migrate'], { DATABASE_URL: 'mysql://localhost/x' });
    assert.equal(res.status, 1);
    assert.match(res.err, /DATABASE_URL/);
  });

  it('works as the installed `porter` binary', () => {
    const bin = fileURLToPath(new URL('../bin/porter.js', import.meta.url));
    const res = spawnSync(process.execPath, [bin, 'company', 'create', '--help'], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Usage: porter company create/);
  });
});
