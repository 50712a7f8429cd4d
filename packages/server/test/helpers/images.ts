import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

// Real PNG files made in code (PNG spec §5: signature, IHDR, IDAT, IEND; each chunk CRC-32'd),
// so the tests need no binary fixtures.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A width×height RGB PNG: a colour gradient, or random noise (`noise`, stored uncompressed) to
 * make a file of a known large size.
 */
export function makePng(width: number, height: number, opts: { noise?: boolean; hue?: number } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const row = width * 3 + 1;
  const raw = opts.noise ? randomBytes(row * height) : Buffer.alloc(row * height);
  const hue = opts.hue ?? 0;
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    if (opts.noise) continue;
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      raw[at] = (x * 255) / width + hue;
      raw[at + 1] = (y * 255) / height;
      raw[at + 2] = 160 - hue;
    }
  }
  const idat = deflateSync(raw, { level: opts.noise ? 0 : 6 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
