import { randomBase32 } from '../../lib/ids.js';

// Listing images are checked by their bytes, never by the upload's file name or claimed type:
// PNG, JPEG and WebP only, their size read from their own headers (no image library: the
// three headers are a few fixed offsets, and a dependency would be one more thing to trust).

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

/** What an image's bytes say it is. */
export interface ImageFacts {
  contentType: ImageType;
  width: number;
  height: number;
}

export const IMAGE_LIMITS = {
  iconBytes: 512 * 1024,
  screenshotBytes: 2 * 1024 * 1024,
  iconMinSide: 128,
  screenshots: 5,
} as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, then the IHDR chunk with width and height (PNG spec §11.2.2). */
function png(b: Buffer): ImageFacts | undefined {
  if (b.length < 24 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { contentType: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** JPEG: SOI, then segments up to a start-of-frame marker, which carries the size (ITU T.81 B.2.2). */
function jpeg(b: Buffer): ImageFacts | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { contentType: 'image/jpeg', height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}

/** WebP: a RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function webp(b: Buffer): ImageFacts | undefined {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP')
    return undefined;
  const chunk = b.toString('latin1', 12, 16);
  const facts = (width: number, height: number): ImageFacts => ({ contentType: 'image/webp', width, height });
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return facts(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return facts((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return facts(b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  return undefined;
}

/** The type and size of an image from its bytes, or undefined when it is not a PNG, JPEG or WebP. */
export function sniffImage(bytes: Buffer): ImageFacts | undefined {
  const facts = png(bytes) ?? jpeg(bytes) ?? webp(bytes);
  return facts && facts.width > 0 && facts.height > 0 ? facts : undefined;
}

/** Why these bytes cannot be the listing's icon, or undefined when they can. */
export function iconProblem(bytes: Buffer, facts: ImageFacts | undefined): string | undefined {
  if (bytes.length > IMAGE_LIMITS.iconBytes) return 'must be at most 512 KB';
  if (!facts) return 'must be a PNG, JPEG or WebP image';
  if (facts.width !== facts.height) return `must be square (this one is ${facts.width}×${facts.height})`;
  if (facts.width < IMAGE_LIMITS.iconMinSide)
    return `must be at least 128×128 pixels (this one is ${facts.width}×${facts.height})`;
  return undefined;
}

/** Why these bytes cannot be a screenshot, or undefined when they can. */
export function screenshotProblem(bytes: Buffer, facts: ImageFacts | undefined): string | undefined {
  if (bytes.length > IMAGE_LIMITS.screenshotBytes) return 'each must be at most 2 MB';
  return facts ? undefined : 'must be PNG, JPEG or WebP images';
}

// 128 random bits: an image's URL is public, so its id must not be guessable.
const IMAGE_ID = /^img_[0-9a-hjkmnp-tv-z]{26}$/;

export const newImageId = () => `img_${randomBase32(16)}`;

export const isImageId = (value: unknown): value is string =>
  typeof value === 'string' && IMAGE_ID.test(value);
