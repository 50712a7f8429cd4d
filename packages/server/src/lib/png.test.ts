import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { drawIcon, encodePng } from './png.js';

describe('encodePng', () => {
  it('writes the signature, the size and the pixels row by row', () => {
    const png = encodePng(2, 1, (x) => (x === 0 ? [255, 0, 0] : [0, 0, 255]));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 2);
    assert.equal(png.readUInt32BE(20), 1);
    const idat = png.indexOf('IDAT');
    const length = png.readUInt32BE(idat - 4);
    const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + length));
    assert.deepEqual([...pixels], [0, 255, 0, 0, 0, 0, 255]);
  });

  it('ends each chunk with the CRC-32 of its type and data (IEND has a known one)', () => {
    const png = drawIcon(8, [40, 80, 200], [250, 250, 250]);
    assert.equal(png.subarray(-8).toString('hex'), '49454e44ae426082');
  });
});
