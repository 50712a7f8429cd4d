#!/usr/bin/env node
// `npm run bench`: Porter's hot paths as ratios to a bare Fastify route, measured in the same run
// with the same load generator, 50 connections, in separate server processes. The generator is
// wrk when it is installed (apt-get install wrk: in C, it leaves more CPU to the servers on two
// cores), autocannon otherwise.
// Rounds alternate bare/Porter; the median ratio is reported because this machine is noisy.
// Usage: npm run bench [-- --rounds 3 --seconds 5]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '5' } },
});
const rounds = Number(values.rounds);
const duration = Number(values.seconds);

function start(args, env, ready) {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (ready.test(out)) resolve({ child, out });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

function loadWithWrk(url, headers) {
  const args = [
    '-t1',
    '-c50',
    `-d${duration}s`,
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  if (/Non-2xx/.test(out)) throw new Error(`${url}: non-2xx answers\n${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
}

function load(url, headers) {
  if (hasWrk) return Promise.resolve(loadWithWrk(url, headers));
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
const dir = mkdtempSync(join(tmpdir(), 'porter-bench-'));
const bare = await start(['scripts/bench/bare.mjs'], { PORT: '3901' }, /listening/);
const porter = await start(
  ['packages/server/bin/porter.js', 'start'],
  {
    PORT: '3902',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'porter.db')}`,
    PORTER_DEMO: '1',
    LOG_LEVEL: 'warn',
  },
  /distribution URL/,
);
const apiKey = /API key\s+(porter_ak_\S+)/.exec(porter.out)?.[1];

try {
  process.stdout.write(`load generator: ${hasWrk ? 'wrk' : 'autocannon'}\n`);
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const base = await load('http://127.0.0.1:3901/v1/me', {});
    const me = await load('http://127.0.0.1:3902/v1/me', { authorization: `Bearer ${apiKey}` });
    ratios.push(me / base);
    process.stdout.write(
      `round ${i + 1}: bare ${base.toFixed(0)} req/s, GET /v1/me (API key, SQLite) ${me.toFixed(0)} req/s, ratio ${(me / base).toFixed(2)}\n`,
    );
  }
  process.stdout.write(
    `\nbearer-checked GET /v1/me: median ratio ${median(ratios).toFixed(2)} of bare Fastify (target ≥ 0.85)\n`,
  );
} finally {
  bare.child.kill();
  porter.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
