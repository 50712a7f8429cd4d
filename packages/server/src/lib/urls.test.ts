import assert from 'node:assert/strict';
import { it } from 'node:test';
import { safeReturnTo } from './urls.js';

it('keeps same-origin paths with their query', () => {
  assert.equal(
    safeReturnTo('/integrations/oauth-install?client_id=a&state=x%20y'),
    '/integrations/oauth-install?client_id=a&state=x%20y',
  );
});

it('turns anything that could leave the origin into /', () => {
  for (const v of [
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil',
    'evil',
    '',
    '/a\nb',
    42,
    undefined,
    `/${'a'.repeat(3000)}`,
  ]) {
    assert.equal(safeReturnTo(v), '/', String(v));
  }
});
