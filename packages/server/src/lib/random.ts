import { randomFillSync } from 'node:crypto';

// Ids and secrets take a few random bytes each, several times per request. Asking the CSPRNG
// for each (`randomBytes(10)`) cost a few microseconds apiece, about 3% of an install's CPU;
// taking them from a pool filled 4 KiB at a time costs a slice. The bytes are the same CSPRNG
// output, each handed out once: a refill allocates a new pool, so earlier slices never change.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `size` bytes from the operating system's CSPRNG (synchronous, no thread-pool round trip). */
export function randomBytes(size: number): Buffer {
  if (size > POOL_SIZE / 8) return randomFillSync(Buffer.allocUnsafe(size));
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
