import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makePng } from '../../../test/helpers/images.js';
import { iconProblem, isImageId, newImageId, screenshotProblem, sniffImage } from './images.js';

it('reads the type and size of a PNG from its IHDR', () => {
  assert.deepEqual(sniffImage(makePng(300, 200)), { contentType: 'image/png', width: 300, height: 200 });
});

it('reads a baseline JPEG size from its start-of-frame segment, after an APP0 segment', () => {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof0 = Buffer.from([
    0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x02, 0x58, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  ]);
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, Buffer.from([0xff, 0xd9])]);
  assert.deepEqual(sniffImage(jpeg), { contentType: 'image/jpeg', width: 600, height: 400 });
});

it('reads WebP sizes from VP8, VP8L and VP8X chunks', () => {
  const riff = (fourcc: string, data: number[]) =>
    Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.alloc(4),
      Buffer.from('WEBP'),
      Buffer.from(fourcc),
      Buffer.alloc(4),
      Buffer.from(data),
      Buffer.alloc(16),
    ]);
  const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]);
  assert.deepEqual(sniffImage(lossy), { contentType: 'image/webp', width: 640, height: 480 });
  // 14 bits each of width-1 and height-1, little-endian: 256×128.
  const bits = 255 | (127 << 14);
  const lossless = riff('VP8L', [
    0x2f,
    bits & 0xff,
    (bits >> 8) & 0xff,
    (bits >> 16) & 0xff,
    (bits >>> 24) & 0xff,
  ]);
  assert.deepEqual(sniffImage(lossless), { contentType: 'image/webp', width: 256, height: 128 });
  const extended = riff('VP8X', [0, 0, 0, 0, 0xff, 0x01, 0, 0x7f, 0, 0]);
  assert.deepEqual(sniffImage(extended), { contentType: 'image/webp', width: 512, height: 128 });
});

it('refuses text, a GIF and a truncated PNG', () => {
  assert.equal(sniffImage(Buffer.from('just some text, renamed to icon.png')), undefined);
  assert.equal(sniffImage(Buffer.from('GIF89a\x10\x00\x10\x00', 'latin1')), undefined);
  assert.equal(sniffImage(makePng(200, 200).subarray(0, 20)), undefined);
});

it('wants a square icon of at least 128×128 and at most 512 KB, and screenshots of at most 2 MB', () => {
  const facts = (b: Buffer) => sniffImage(b);
  const square = makePng(128, 128);
  assert.equal(iconProblem(square, facts(square)), undefined);
  const wide = makePng(256, 128);
  assert.match(iconProblem(wide, facts(wide)) ?? '', /square/);
  const small = makePng(64, 64);
  assert.match(iconProblem(small, facts(small)) ?? '', /at least 128×128/);
  const big = makePng(512, 512, { noise: true });
  assert.match(iconProblem(big, facts(big)) ?? '', /512 KB/);
  const huge = makePng(900, 900, { noise: true });
  assert.match(screenshotProblem(huge, facts(huge)) ?? '', /2 MB/);
  assert.match(screenshotProblem(Buffer.from('hello'), undefined) ?? '', /PNG, JPEG or WebP/);
});

it('makes unguessable image ids (128 bits) and knows them', () => {
  const id = newImageId();
  assert.ok(isImageId(id));
  assert.notEqual(id, newImageId());
  assert.equal(isImageId('img_short'), false);
  assert.equal(isImageId('../etc/passwd'), false);
});
