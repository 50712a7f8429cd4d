#!/usr/bin/env node
// The smallest partner app: checks which company and scopes an API key (or access token) has.
//   PORTER_URL=http://localhost:3000 PORTER_TOKEN=porter_ak_… node examples/partner-app/me.mjs
import { PorterApiError, PorterClient } from '@porter/sdk';

const url = process.env.PORTER_URL ?? 'http://localhost:3000';
const token = process.env.PORTER_TOKEN;
if (!token) {
  process.stderr.write('Set PORTER_TOKEN to an API key (porter_ak_…) or an access token (porter_at_…).\n');
  process.exit(2);
}
try {
  const me = await new PorterClient(url, token).me();
  process.stdout.write(
    `${me.application?.name ?? 'token'} acts on ${me.company.name} (${me.company.id}) with ${me.scopes.join(', ')}\n`,
  );
} catch (err) {
  if (!(err instanceof PorterApiError)) throw err;
  process.stderr.write(`Porter refused the token: ${err.status} ${err.code}: ${err.message}\n`);
  process.exit(1);
}
