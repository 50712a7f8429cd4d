import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ValidationError } from '../lib/errors.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

it('round-trips a cursor and refuses one it did not make', () => {
  assert.equal(decodeCursor(encodeCursor('evt_0123456789abcdefghjk')), 'evt_0123456789abcdefghjk');
  assert.equal(decodeCursor(undefined), undefined);
  assert.throws(() => decodeCursor('bm9wZQ'), ValidationError);
  assert.throws(() => decodeCursor(Buffer.from("v1:evt_x' or 1=1").toString('base64url')), ValidationError);
});

it('gives a next cursor only when a row beyond the limit was read', () => {
  const rows = [{ id: 'evt_aaaaaaaaaaaa' }, { id: 'evt_bbbbbbbbbbbb' }, { id: 'evt_cccccccccccc' }];
  const page = toPage(rows, 2, (r) => r.id);
  assert.deepEqual(page.items, ['evt_aaaaaaaaaaaa', 'evt_bbbbbbbbbbbb']);
  assert.equal(decodeCursor(page.next_cursor ?? ''), 'evt_bbbbbbbbbbbb');
  assert.equal(toPage(rows, 3, (r) => r.id).next_cursor, null);
});
