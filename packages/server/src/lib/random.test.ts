import assert from 'node:assert/strict';
import { it } from 'node:test';
import { randomBytes } from './random.js';

it('hands out each pooled byte once, across refills, and large requests apart', () => {
  const first = randomBytes(10);
  const copy = Buffer.from(first);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) seen.add(randomBytes(16).toString('hex'));
  assert.equal(seen.size, 2000, 'no slice repeats another');
  assert.deepEqual(first, copy, 'a slice never changes after a refill');
  assert.equal(randomBytes(1024).length, 1024);
  assert.equal(randomBytes(0).length, 0);
});

it('looks uniform: every byte value turns up in 64 KiB', () => {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 1024; i++) for (const b of randomBytes(64)) counts[b] = (counts[b] ?? 0) + 1;
  // 65536 bytes, 256 expected per value; a stuck or biased source falls far outside this.
  assert.ok(
    Math.min(...counts) > 150 && Math.max(...counts) < 380,
    `counts ${Math.min(...counts)}..${Math.max(...counts)}`,
  );
});
