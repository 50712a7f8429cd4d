import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { forEachDialect } from '../../packages/server/test/helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from '../../packages/server/test/helpers/porter.js';

const script = fileURLToPath(new URL('./me.mjs', import.meta.url));

/** Runs the example as a user would (asynchronously: the server answers from this same process). */
function runExample(
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ status: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

forEachDialect('partner app example', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('prints the company and scopes of an API key, and explains a refused one', async () => {
    const { user, company } = await makeUser(porter, { company: 'Example Co' });
    const actor = { kind: 'user' as const, userId: user.id, label: 'example' };
    const { apiKey } = await porter.services.apps.create(actor, company.id, {
      name: 'Partner',
      scopes: ['events:write'],
    });
    const ok = await runExample({ PORTER_URL: porter.url, PORTER_TOKEN: apiKey });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, `Partner acts on Example Co (${company.id}) with events:write\n`);
    const bad = await runExample({ PORTER_URL: porter.url, PORTER_TOKEN: 'porter_ak_x' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /401 invalid_token/);
  });
});
