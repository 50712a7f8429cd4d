import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { ERROR_CODES } from './errors.js';

const catalogue = new URL('../../../../docs/errors.md', import.meta.url);

it('lists exactly the error codes Porter can emit in docs/errors.md', () => {
  const documented = [...readFileSync(catalogue, 'utf8').matchAll(/^\| `([a-z_]+)` +\|/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), [...ERROR_CODES].sort());
  assert.equal(new Set(documented).size, documented.length, 'each code once');
});
