import { deflateSync } from 'node:zlib';

// A minimal PNG encoder (RFC 2083): 8-bit RGB, no interlace, one IDAT. For pictures Porter draws
// itself (the demo app's icon and screenshot), so no image library is needed at run time.

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
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export type Rgb = readonly [number, number, number];

/** A PNG of `width`×`height` whose pixel at (x, y) is `paint(x, y)`. */
export function encodePng(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let at = 0;
  for (let y = 0; y < height; y++) {
    raw[at++] = 0; // filter type None
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      raw[at++] = r;
      raw[at++] = g;
      raw[at++] = b;
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A square icon: a background colour with a lighter disc and a dark bar, to tell icons apart. */
export function drawIcon(size: number, background: Rgb, accent: Rgb): Buffer {
  const centre = size / 2;
  const radius = size * 0.3;
  return encodePng(size, size, (x, y) => {
    const inBar = y > size * 0.7 && y < size * 0.8 && x > size * 0.2 && x < size * 0.8;
    if (inBar) return [29, 35, 48];
    const inDisc = (x - centre) ** 2 + (y - centre * 0.85) ** 2 < radius ** 2;
    return inDisc ? accent : background;
  });
}

/** A screenshot-like picture: a title bar, a sidebar and rows of content in the given colour. */
export function drawScreenshot(width: number, height: number, accent: Rgb): Buffer {
  return encodePng(width, height, (x, y) => {
    if (y < height * 0.1) return accent;
    if (x < width * 0.22) return [235, 238, 244];
    const row = Math.floor((y - height * 0.16) / (height * 0.1));
    const inRow = y > height * 0.16 && (y - height * 0.16) % (height * 0.1) < height * 0.05;
    if (inRow && row < 7 && x > width * 0.27 && x < width * (0.9 - (row % 3) * 0.12)) return [203, 210, 224];
    return [255, 255, 255];
  });
}

/** The width and height a PNG's header declares (the IHDR chunk comes first, RFC 2083 §4.1.1). */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
