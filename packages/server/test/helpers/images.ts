import { randomBytes } from 'node:crypto';
import { encodePng } from '../../src/lib/png.js';

// Real PNG files made in code (src/lib/png.ts), so the tests need no binary fixtures.

/**
 * A width×height RGB PNG: a colour gradient shifted by `hue`, or random noise (`noise`: it does
 * not compress, so the file is about 3 bytes a pixel — a file of a known large size).
 */
export function makePng(width: number, height: number, opts: { noise?: boolean; hue?: number } = {}): Buffer {
  const hue = opts.hue ?? 0;
  const noise = opts.noise ? randomBytes(width * height * 3) : undefined;
  return encodePng(width, height, (x, y) => {
    if (noise) {
      const at = (y * width + x) * 3;
      return [noise[at] ?? 0, noise[at + 1] ?? 0, noise[at + 2] ?? 0];
    }
    return [((x * 255) / width + hue) & 0xff, ((y * 255) / height) & 0xff, (160 - hue) & 0xff];
  });
}
