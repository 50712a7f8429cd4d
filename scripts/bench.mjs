#!/usr/bin/env node
// `npm run bench`: Porter's hot paths as ratios to a bare Fastify route, measured in the same run
// with the same load generator, 50 connections, in separate server processes. The generator is
// wrk when it is installed (apt-get install wrk: in C, it leaves more CPU to the servers on two
// cores), autocannon otherwise.
// Rounds alternate bare/Porter; the median ratio is reported because this machine is noisy.
// Porter runs as an operator runs it: the default configuration (request logs on), SQLite —
// except the per-credential rate limit, raised to 10^9 a minute: 50 connections on one API key
// would pass the default 6000 a minute within a second. The limit is still checked on every
// request (and its headers sent), so its cost is in the figures.
// Three measures:
// - the bearer-checked GET /v1/me (API key) against a bare route answering the same JSON; and,
//   for context, the same bare route with Porter's request log on (bench/bare.mjs with
//   BENCH_REQUEST_LOG=1): what the log line alone costs, so the most any bearer-checked route
//   can reach with logs on;
// - the token exchange alone (codes minted beforehand through the real flow) against a bare
//   route answering a form POST, 50 at once, with the same client code;
// - the whole install for a signed-in customer (authorization URL → consent page, Authorize →
//   redirect with a code, token exchange with PKCE), 16 flows at once, against a bare server
//   answering the same three requests.
// Usage: npm run bench [-- --rounds 3 --seconds 5 --only bearer|exchange|install|scale]
// BENCH_PORT moves the four servers' ports (default 3901–3904) when another bench is running;
// BENCH_PORTER_BIN runs another build of Porter (to compare two builds in one sitting).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { authorize, Browser, drain, exchange, loop } from './bench/install.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const only = values.only;
const rounds = Number(values.rounds);
const duration = Number(values.seconds);

function start(args, env, ready) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const read = (d) => {
      out += d;
      if (!ready.test(out)) return;
      // Ready: from now on its output is read and dropped, as a log shipper would.
      child.stdout.off('data', read);
      child.stdout.resume();
      resolve({ child, out });
    };
    child.stdout.on('data', read);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

const execFileAsync = promisify(execFile);
const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/**
 * wrk, run without blocking this process: the servers' logs are read (and dropped) all through
 * the run, as a log shipper reads them; a blocked reader would fill the pipe and stall their log
 * writes instead.
 */
async function loadWithWrk(url, headers) {
  const args = [
    '-t1',
    '-c50',
    `-d${duration}s`,
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  const { stdout: out } = await execFileAsync('wrk', args, { encoding: 'utf8' });
  if (/Non-2xx/.test(out)) throw new Error(`${url}: non-2xx answers\n${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
}

function load(url, headers) {
  if (hasWrk) return loadWithWrk(url, headers);
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, duration, headers }, (err, result) => {
      if (err) return reject(err);
      if (result.non2xx > 0 || result.errors > 0)
        return reject(new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      resolve(result.requests.average);
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PORT = Number(process.env.BENCH_PORT ?? 3901);
if (only === 'scale') {
  // PostgreSQL with a million installations: its own servers and database (bench/scale.mjs).
  const { scaleBench } = await import('./bench/scale.mjs');
  await scaleBench({
    seconds: duration,
    port: PORT + 10,
    total: Number(process.env.BENCH_SCALE ?? 1_000_000),
  });
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'porter-bench-'));
const bare = await start(['scripts/bench/bare.mjs'], { PORT: String(PORT) }, /listening/);
const bareInstall = await start(['scripts/bench/bare-install.mjs'], { PORT: String(PORT + 2) }, /listening/);
const bareLogged = await start(
  ['scripts/bench/bare.mjs'],
  { PORT: String(PORT + 3), BENCH_REQUEST_LOG: '1' },
  /listening/,
);
const porter = await start(
  [process.env.BENCH_PORTER_BIN ?? 'packages/server/bin/porter.js', 'start'],
  {
    PORT: String(PORT + 1),
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'porter.db')}`,
    PORTER_DEMO: '1',
    PORTER_RATE_LIMIT: '1000000000/minute',
    ...(process.env.BENCH_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
  },
  /To install it/,
);
// The demo is printed before Porter listens, and at LOG_LEVEL=warn nothing says it listens.
for (let i = 0; ; i++) {
  const up = await fetch(`http://127.0.0.1:${PORT + 1}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  if (i === 100) throw new Error('Porter did not become ready');
  await new Promise((r) => setTimeout(r, 100));
}
const apiKey = /API key\s+(porter_ak_\S+)/.exec(porter.out)?.[1];
const demo = {
  email: /customer admin\s+(\S+)\s+password: (\S+)/.exec(porter.out)?.slice(1, 3) ?? [],
  clientId: /client ID\s+(\S+)/.exec(porter.out)?.[1],
  clientSecret: /client secret\s+(porter_cs_\S+)/.exec(porter.out)?.[1],
  distribution: /distribution URL\s+(\S+)/.exec(porter.out)?.[1] ?? '',
};
const app = {
  authorizePath: demo.distribution.replace(/^https?:\/\/[^/]+/, ''),
  redirectUri: new URL(demo.distribution).searchParams.get('redirect_uri'),
  clientId: demo.clientId,
  clientSecret: demo.clientSecret,
};
const PORTER = `http://127.0.0.1:${PORT + 1}`;
const BARE = `http://127.0.0.1:${PORT + 2}`;

/** Signed-in browsers of the demo customer, one per concurrent flow. */
async function browsers(base, count) {
  const list = Array.from({ length: count }, () => new Browser(base));
  for (const b of list) await b.signIn(...demo.email);
  return list;
}

function report(name, ratios, target) {
  process.stdout.write(
    `\n${name}: median ratio ${median(ratios).toFixed(2)} of bare Fastify (target ≥ ${target})\n`,
  );
}

async function bearerRounds() {
  const ratios = [];
  const logged = [];
  const againstLogged = [];
  for (let i = 0; i < rounds; i++) {
    const base = await load(`http://127.0.0.1:${PORT}/v1/me`, {});
    const withLog = await load(`http://127.0.0.1:${PORT + 3}/v1/me`, {});
    const me = await load(`${PORTER}/v1/me`, { authorization: `Bearer ${apiKey}` });
    ratios.push(me / base);
    logged.push(withLog / base);
    againstLogged.push(me / withLog);
    process.stdout.write(
      `round ${i + 1}: bare ${base.toFixed(0)} req/s, bare with Porter's request log ${withLog.toFixed(0)} req/s (${(withLog / base).toFixed(2)}), GET /v1/me (API key) ${me.toFixed(0)} req/s, ratio ${(me / base).toFixed(2)}\n`,
    );
  }
  process.stdout.write(
    `\nbare Fastify with Porter's request log alone: median ratio ${median(logged).toFixed(2)} (the most a route with logs on can reach)` +
      `\nbearer-checked GET /v1/me against that logged bare route: median ratio ${median(againstLogged).toFixed(2)}`,
  );
  report('bearer-checked GET /v1/me', ratios, 0.85);
}

async function exchangeRounds() {
  const [porterBrowsers, bareBrowsers] = [await browsers(PORTER, 8), await browsers(BARE, 8)];
  const perRound = 2500;
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const mint = async (list) => {
      const codes = [];
      await Promise.all(
        list.map(async (b) => {
          while (codes.length < perRound) codes.push(await authorize(b, app));
        }),
      );
      return codes;
    };
    const [porterCodes, bareCodes] = [await mint(porterBrowsers), await mint(bareBrowsers)];
    const base = await drain(50, bareCodes, (c) => exchange(BARE, app, c));
    const porterRate = await drain(50, porterCodes, (c) => exchange(PORTER, app, c));
    ratios.push(porterRate / base);
    process.stdout.write(
      `round ${i + 1}: bare ${base.toFixed(0)} exchanges/s, POST /oauth/token ${porterRate.toFixed(0)}/s, ratio ${(porterRate / base).toFixed(2)}\n`,
    );
  }
  report('token exchange', ratios, 0.25);
}

async function installRounds() {
  const [porterBrowsers, bareBrowsers] = [await browsers(PORTER, 16), await browsers(BARE, 16)];
  const flow = (base, list) => (i) => authorize(list[i], app).then((c) => exchange(base, app, c));
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const base = await loop(16, duration, flow(BARE, bareBrowsers));
    const porterRate = await loop(16, duration, flow(PORTER, porterBrowsers));
    ratios.push(porterRate / base);
    process.stdout.write(
      `round ${i + 1}: bare ${base.toFixed(0)} flows/s, Porter ${porterRate.toFixed(0)} installs/s, ratio ${(porterRate / base).toFixed(2)}\n`,
    );
  }
  report('whole install flow (3 requests, 16 at once)', ratios, 0.5);
}

try {
  process.stdout.write(
    `load generator: ${hasWrk ? 'wrk' : 'autocannon'} (GET /v1/me); Node fetch (install flow)\n`,
  );
  if (!only || only === 'bearer') await bearerRounds();
  if (!only || only === 'exchange') await exchangeRounds();
  if (!only || only === 'install') await installRounds();
} finally {
  bare.child.kill();
  bareInstall.child.kill();
  bareLogged.child.kill();
  porter.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
