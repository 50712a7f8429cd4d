import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { freePort } from './helpers/porter.js';

const bin = fileURLToPath(new URL('../bin/porter.js', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Spawns the real `porter start` and waits until it listens. */
async function porterStart(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const deadline = Date.now() + 20_000;
  while (!output.includes('Porter is listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`porter start failed:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

forEachDialect('porter start', (dialect) => {
  const running: Running[] = [];
  after(() => {
    for (const r of running) r.child.kill('SIGKILL');
  });

  it(
    dialect.name === 'sqlite'
      ? 'seeds the embedded database on first start and prints sign-in details that work'
      : 'never seeds a PostgreSQL database unasked, and seeds it with PORTER_DEMO=1',
    async () => {
      const database = await dialect.create();
      try {
        const first = await porterStart({ DATABASE_URL: database.url });
        running.push(first);
        if (dialect.name === 'postgres') {
          assert.doesNotMatch(first.output(), /demo data created/);
          const warning = first
            .output()
            .split('\n')
            .find((l) => l.includes('SMTP_URL is not set'));
          assert.ok(warning, 'a start on PostgreSQL without SMTP says where mail goes');
          assert.equal(JSON.parse(warning).level, 40, 'as a warning');
          first.child.kill('SIGTERM');
          await once(first.child, 'exit');
          const seeded = await porterStart({ DATABASE_URL: database.url, PORTER_DEMO: '1' });
          running.push(seeded);
          assert.match(seeded.output(), /demo data created/);
          seeded.child.kill('SIGTERM');
          await once(seeded.child, 'exit');
          return;
        }
        const match = /developer\s+(\S+@\S+)\s+password: (\S+)/.exec(first.output());
        assert.ok(match, first.output());
        const client = new PageClient(first.url);
        assert.equal((await client.signInOutcome(match[1] ?? '', match[2] ?? '')).outcome, 'signed-in');
        const apiKey = /API key\s+(porter_ak_\S+)/.exec(first.output())?.[1];
        const me = await fetch(`${first.url}/v1/me`, { headers: { authorization: `Bearer ${apiKey}` } });
        assert.equal(me.status, 200, 'the printed demo API key works');
        assert.equal((await me.json()).application.name, 'Acme Sync');
        assert.match(
          first.output(),
          /distribution URL http:\/\/localhost:\d+\/integrations\/oauth-install\?client_id=/,
        );
        const market = await (await fetch(`${first.url}/marketplace`)).text();
        assert.match(market, /Acme Sync<\/a><\/h3>/, 'the demo app is on the marketplace');
        const home = await (await client.get('/')).text();
        assert.match(home, /Acme Apps/);
        assert.match(home, /Acme Apps \(Test\)/);
        const ops = /platform admin\s+(\S+@\S+)\s+password: (\S+)/.exec(first.output());
        assert.ok(ops, 'a platform admin is printed');
        const opsClient = new PageClient(first.url);
        assert.equal((await opsClient.signInOutcome(ops[1] ?? '', ops[2] ?? '')).outcome, 'signed-in');
        assert.match(
          await (await opsClient.get('/admin/apps')).text(),
          /Acme Sync/,
          'the admin area is theirs',
        );
        first.child.kill('SIGTERM');
        await once(first.child, 'exit');
        const second = await porterStart({ DATABASE_URL: database.url });
        running.push(second);
        assert.doesNotMatch(second.output(), /demo data created/, 'seeded only once');
        second.child.kill('SIGTERM');
        await once(second.child, 'exit');
      } finally {
        await database.drop();
      }
    },
  );

  it('finishes an in-flight request on SIGTERM, exits 0 and leaves the database intact', async () => {
    const database = await dialect.create();
    try {
      const r = await porterStart({ DATABASE_URL: database.url, PORTER_DEMO: '1' });
      running.push(r);
      // A request whose body is still arriving when SIGTERM comes: truly in flight.
      const body = 'email=a%40b.example&password=half';
      const req = request(`${r.url}/sign-in`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
        },
      });
      const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
      });
      req.write(body.slice(0, 10));
      // Porter has the request once its first bytes are in (it logs a request when answering it).
      await new Promise((res) => setTimeout(res, 300));
      r.child.kill('SIGTERM');
      while (!r.output().includes('shutting down')) await new Promise((res) => setTimeout(res, 10));
      req.end(body.slice(10));
      const res = await answered;
      assert.equal(
        res.status,
        403,
        'the request was handled to the end (no CSRF token: 403), not refused with 503',
      );
      assert.match(res.text, /form has expired/);
      // The test keeps its keep-alive connection open: Porter must not wait for it.
      const started = Date.now();
      const [code] = await once(r.child, 'exit');
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 5000, 'exits promptly');
      assert.match(r.output(), /shutting down/);
      const db = openDatabase(database.target);
      const users = await db.selectFrom('users').select('email').execute();
      await db.destroy();
      assert.equal(users.length, 3, 'the demo developer, customer admin and platform admin');
    } finally {
      await database.drop();
    }
  });
});

describe('configuration errors', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^porter: invalid configuration: PORT: /],
    [{ PORT: '70000' }, /^porter: invalid configuration: PORT: /],
    [{ PORTER_PUBLIC_URL: 'ftp://x' }, /^porter: invalid configuration: PORTER_PUBLIC_URL: /],
    [{ PORTER_CODE_TTL: '-5' }, /^porter: invalid configuration: PORTER_CODE_TTL: /],
    [{ DATABASE_URL: 'mysql://db/porter' }, /^porter: invalid configuration: DATABASE_URL: /],
    [{ LOG_LEVEL: 'loud' }, /^porter: invalid configuration: LOG_LEVEL: /],
  ];
  for (const [env, message] of cases) {
    it(`stops with exit status 1 and one clear line for ${Object.keys(env)[0]}=${Object.values(env)[0]}`, () => {
      const res = spawnSync(process.execPath, [bin, 'start'], {
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
      });
      assert.equal(res.status, 1);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    });
  }
});
