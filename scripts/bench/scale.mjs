// `npm run bench -- --only scale`: GET /v1/me on PostgreSQL with 1 000 and with 1 000 000
// installations, each with its access token. Seeds a dedicated database (porter_scale_<pid>, created
// and dropped here; BENCH_PG_URL names the server, default postgres://postgres@127.0.0.1:5432/postgres)
// with multi-row INSERTs of 50 000 rows (unnest arrays), then measures, against one Porter process
// in its default configuration (rate limit raised as in the bearer bench):
// - uncached: 1 000 tokens never used before, one request at a time (p50/p99 of the bearer miss:
//   checksum, hash, one indexed query, the installation view);
// - hot: 100 tokens already cached, wrk with 10 connections (p50/p99 and requests/s);
// - the process's peak RSS while under load (also through a wrk run over 50 000 distinct tokens).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { newId } from '../../packages/server/dist/lib/ids.js';
import { hashSecret, mintSecret } from '../../packages/server/dist/lib/secrets.js';

const execFileAsync = promisify(execFile);
const ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Its own name per run: another bench (or another engineer's) may be using porter_scale.
const NAME = `porter_scale_${process.pid}`;
const url = new URL(ADMIN);
url.pathname = `/${NAME}`;
const DB_URL = url.toString();
const PER_APP = 1000;
const BATCH = 50_000;
const NOW = new Date().toISOString();

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** The developer, 1 000 customer companies and 1 000 apps: installation i is app i/1000 in company i%1000. */
async function seedOwners(db) {
  await db.query(
    `insert into users (id, email, email_normalized, name, password_hash, created_at)
     values ('usr_scale', 'scale@example.test', 'scale@example.test', 'Scale', 'x', $1)`,
    [NOW],
  );
  await db.query(
    `insert into companies (id, name, region, is_test, created_at)
     select 'cmp_scale_' || i, 'Company ' || i, 'US', 0, $1 from generate_series(0, $2::int) i`,
    [NOW, PER_APP],
  );
  await db.query(
    `insert into apps (id, company_id, name, scopes, redirect_urls, allowed_origins, status, client_id, created_at, updated_at)
     select 'app_scale_' || i, 'cmp_scale_${PER_APP}', 'App ' || i, '["events:write"]', '[]', '[]', 'published',
            'client_scale_' || i, $1, $1 from generate_series(0, $2::int - 1) i`,
    [NOW, PER_APP],
  );
}

/** Installations [from, to) with one access token each; returns a sample of the tokens. */
async function seedInstallations(db, from, to, keep) {
  const kept = [];
  for (let start = from; start < to; start += BATCH) {
    const ins = { id: [], app: [], company: [] };
    const tok = { id: [], hash: [] };
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      ins.id.push(newId('ins'));
      ins.app.push(`app_scale_${Math.floor(i / PER_APP)}`);
      ins.company.push(`cmp_scale_${i % PER_APP}`);
      const secret = mintSecret('access_token');
      tok.id.push(newId('tok'));
      tok.hash.push(hashSecret(secret));
      if (kept.length < keep || Math.random() < keep / (to - from)) kept.push(secret);
    }
    await db.query(
      `insert into installations (id, app_id, company_id, scopes, installed_by, installed_at, updated_at)
       select id, app, company, '["events:write"]', 'usr_scale', $4, $4
       from unnest($1::text[], $2::text[], $3::text[]) as t(id, app, company)`,
      [ins.id, ins.app, ins.company, NOW],
    );
    await db.query(
      `insert into tokens (id, kind, hash, company_id, app_id, user_id, installation_id, scopes, created_at)
       select id, 'access_token', hash, company, app, 'usr_scale', ins, '["events:write"]', $6
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as t(id, hash, company, app, ins)`,
      [tok.id, tok.hash, ins.company, ins.app, ins.id, NOW],
    );
  }
  await db.query('analyze installations; analyze tokens');
  return kept.sort(() => Math.random() - 0.5);
}

function startPorter(port) {
  const child = spawn(process.execPath, ['packages/server/bin/porter.js', 'start'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: DB_URL,
      PORTER_RATE_LIMIT: '1000000000/minute',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Its log is read and dropped, as a log shipper would; the last lines are kept for a failure.
  let tail = '';
  child.stdout.on('data', (d) => {
    tail = (tail + d).slice(-2000);
  });
  child.once('exit', (code) => {
    if (code !== null && code !== 0) process.stderr.write(`Porter exited with ${code}:\n${tail}\n`);
  });
  return child;
}

async function ready(base) {
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Porter did not become ready');
}

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0; // the process is gone; the step that needed it says so
  }
}
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** Each token once, one request at a time: the latency of a bearer check that misses the cache. */
async function uncached(base, tokens) {
  const ms = [];
  for (const token of tokens) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET /v1/me answered ${res.status}`);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

const LUA = `local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", "/v1/me", { ["Authorization"] = "Bearer " .. tokens[i] })
end`;

/**
 * wrk over a list of tokens in turn: p50/p99 (ms) and requests/s. Run without blocking this
 * process, so the RSS sampler runs and Porter's log is read all through the run.
 */
async function wrk(base, tokens, seconds, connections) {
  const file = join(tmpdir(), `porter-scale-${process.pid}.txt`);
  const script = join(tmpdir(), `porter-scale-${process.pid}.lua`);
  writeFileSync(file, `${tokens.join('\n')}\n`);
  writeFileSync(script, LUA);
  const { stdout: out } = await execFileAsync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `${base}/v1/me`],
    {
      encoding: 'utf8',
      env: { ...process.env, BENCH_TOKENS: file },
    },
  );
  if (/Non-2xx/.test(out)) throw new Error(`non-2xx answers\n${out}`);
  const ms = (p) => {
    const [, n, unit] = new RegExp(`${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out) ?? [];
    return Number(n) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
  };
  return { p50: ms(50), p99: ms(99), rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]) };
}

/** One size: a fresh Porter process, uncached then hot, RSS sampled all along. */
async function measure(size, tokens, port, seconds) {
  const child = startPorter(port);
  const base = `http://127.0.0.1:${port}`;
  try {
    await ready(base);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid))), 100);
    const cold = await uncached(base, tokens.slice(0, 1000));
    await wrk(base, tokens.slice(0, 100), 1, 10); // warm the 100 hot tokens
    const hot = await wrk(base, tokens.slice(0, 100), seconds, 10);
    const spread = await wrk(base, tokens, seconds, 10);
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(child.pid));
    return { size, cold, hot, spread, peak };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }
}

const f = (n) => n.toFixed(2);
function print(r) {
  process.stdout.write(
    `${String(r.size).padStart(9)} installations: uncached p50 ${f(r.cold.p50)} ms p99 ${f(r.cold.p99)} ms; ` +
      `hot p50 ${f(r.hot.p50)} ms p99 ${f(r.hot.p99)} ms (${r.hot.rps.toFixed(0)} req/s); ` +
      `spread over ${r.spreadTokens} tokens ${r.spread.rps.toFixed(0)} req/s; peak RSS ${r.peak.toFixed(0)} MB\n`,
  );
}

/** Seeds 1 000 then 1 000 000 installations and measures each; drops the database at the end. */
export async function scaleBench({ seconds = 5, port = 3911, total = 1_000_000 } = {}) {
  await admin(`drop database if exists ${NAME} with (force)`);
  await admin(`create database ${NAME}`);
  try {
    execFileSync(process.execPath, ['packages/server/bin/porter.js', 'migrate'], {
      env: { ...process.env, DATABASE_URL: DB_URL },
    });
    const db = new pg.Client({ connectionString: DB_URL });
    db.on('error', () => {}); // the database is dropped under it when a step fails
    await db.connect();
    await seedOwners(db);
    let t = Date.now();
    const small = await seedInstallations(db, 0, 1000, 1100);
    const first = await measure(1000, small, port, seconds);
    print({ ...first, spreadTokens: small.length });
    t = Date.now();
    const large = await seedInstallations(db, 1000, total, 50_000);
    process.stdout.write(
      `seeded ${total - 1000} more installations with their tokens in ${((Date.now() - t) / 1000).toFixed(0)} s\n`,
    );
    await db.end();
    const second = await measure(total, large, port, seconds);
    print({ ...second, spreadTokens: large.length });
    const ratio = (a, b) => (a / b).toFixed(2);
    process.stdout.write(
      `\nscale: at ${total} vs 1000 installations, uncached p50 ×${ratio(second.cold.p50, first.cold.p50)}, ` +
        `p99 ×${ratio(second.cold.p99, first.cold.p99)}; hot p50 ×${ratio(second.hot.p50, first.hot.p50)} ` +
        `(target ≤ 1.2); peak RSS ${second.peak.toFixed(0)} MB (target ≤ 250)\n`,
    );
  } finally {
    await admin(`drop database if exists ${NAME} with (force)`);
  }
}
