import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';

// The layout rules of ../shared/STYLE.md that a reviewer would otherwise check by hand.

const root = new URL('.', import.meta.url).pathname;
const sources = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') }));

const areaOf = (file: string) => file.split('/')[0] ?? '';

it('lets an area reach another area through its service, never its repository', () => {
  const offences = sources.flatMap(({ file, text }) =>
    [...text.matchAll(/from '(\.\.\/[^']*\/)?(\.\/)?repo\.js'/g)]
      .map((m) => m[1] ?? './')
      .filter(
        (dir) => dir !== './' && areaOf(relative(root, join(root, file, '..', dir, 'x'))) !== areaOf(file),
      )
      .map((dir) => `${file} imports ${dir}repo.js`),
  );
  assert.deepEqual(offences, []);
});

it('keeps SQL in repositories and migrations', () => {
  const offences = sources
    .filter(({ file }) => !/(^|\/)repo\.ts$|^db\/|^ops\//.test(file))
    .filter(({ text }) => /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/.test(text))
    .map(({ file }) => file);
  assert.deepEqual(offences, []);
});

it('reads process.env only in config.ts and at the entry points', () => {
  const offences = sources
    .filter(({ text }) => /process\.env\b/.test(text))
    .map(({ file }) => file)
    .filter((f) => !['config.ts', 'main.ts', 'cli/main.ts'].includes(f));
  assert.deepEqual(offences, []);
});
