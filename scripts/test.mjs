#!/usr/bin/env node
// Runs every test file with node's test runner (TypeScript through tsx). The integration tests
// run on SQLite always and on PostgreSQL when DATABASE_URL names one; when it does not, this
// says so loudly at the start and at the end, because those tests were skipped.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const roots = [
  'packages/server/src',
  'packages/server/test',
  'packages/sdk/src',
  'packages/sdk/test',
  'examples',
];
const only = process.argv.slice(2);
const files = roots
  .flatMap((root) => {
    try {
      return readdirSync(root, { recursive: true }).map((f) => join(root, String(f)));
    } catch {
      return [];
    }
  })
  .filter((f) => /\.test\.ts$/.test(f) && !f.includes('node_modules'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const url = process.env.DATABASE_URL ?? '';
const banner = (lines) => {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((l) => `!!  ${l}`).join('\n')}\n${bar}\n\n`);
};

if (/^postgres(ql)?:\/\//.test(url)) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    // Databases left by an interrupted run: nobody is connected to them. One another run is
    // using at this moment has connections, and is left alone (DROP refuses it, not FORCE).
    const { rows } = await client.query(
      `select datname from pg_database d where datname like 'porter_t_%'
         and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
    await client.end();
    process.stderr.write(
      `Running the integration tests on SQLite and on PostgreSQL (${new URL(url).host}).\n`,
    );
  } catch (err) {
    banner([
      `DATABASE_URL points at PostgreSQL but it is unreachable: ${err.message}`,
      'Start PostgreSQL or unset DATABASE_URL.',
    ]);
    process.exit(1);
  }
} else {
  banner([
    'POSTGRESQL TESTS SKIPPED: DATABASE_URL does not point at PostgreSQL.',
    'Only SQLite was tested. To test PostgreSQL too:',
    '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test',
  ]);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);

if (!/^postgres(ql)?:\/\//.test(url))
  banner(['POSTGRESQL TESTS SKIPPED (see the top of this run). Only SQLite was tested.']);
process.exit(result.status ?? 1);
