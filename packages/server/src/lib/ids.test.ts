import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId, newSortableId, randomBase32 } from './ids.js';

it('makes prefixed ids of 80 random bits that do not repeat', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => newId('usr')));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^usr_[0-9a-hjkmnp-tv-z]{16}$/);
  assert.equal(randomBase32(32).length, 52);
});

it('makes sortable ids that follow creation order, even within one millisecond', () => {
  const ids = Array.from({ length: 500 }, () => newSortableId('aud'));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, 500);
});
