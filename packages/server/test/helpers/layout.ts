import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { assertAccessible } from './axe.js';

/** Where the browser tests leave their screenshots, to be looked at by a person. */
export const SHOTS_DIR = join(tmpdir(), 'shots');

/** A full-page screenshot at the current viewport, as `<SHOTS_DIR>/<name>.png`. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * How wide the page is against the viewport, and the innermost elements that reach past its
 * right edge (each named like a selector with its right edge), to say what makes it scroll.
 */
export function horizontalOverflow(page: Page) {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const past = [...document.body.querySelectorAll('*')].filter(
      (el) => el.getBoundingClientRect().right > viewport + 0.5 && el.getClientRects().length > 0,
    );
    const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      viewport,
      offenders: innermost.map((el) =>
        [el.parentElement, el]
          .map((e) =>
            e
              ? `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c) => `.${c}`).join('')}`
              : '',
          )
          .join(' > ')
          .concat(` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`),
      ),
    };
  });
}

/**
 * Words in the page's main content that the layout split across lines, written with `|` where
 * they break ("owne|r", "2026-11-|27"), with their unbroken width and where they are ("Audit
 * log › Who" for a table cell). Breaks between words are fine; these are not.
 */
export function wordsSplitAcrossLines(page: Page) {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate(() => {
    const found: { word: string; width: number; where: string }[] = [];
    const root = document.querySelector('main');
    if (!root) return found;
    const range = document.createRange();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const parent = node.parentElement;
      if (!parent || parent.getClientRects().length === 0) continue; // not displayed
      const cell = parent.closest('td, th');
      const heading = parent.closest('section')?.querySelector('h2')?.textContent?.trim() ?? 'main';
      const index = cell ? [...(cell.parentElement?.children ?? [])].indexOf(cell) : -1;
      const column = cell?.closest('table')?.querySelectorAll('thead th')[index]?.textContent?.trim();
      const where = cell
        ? `${heading} › ${column || `column ${index + 1}`}`
        : `${heading} › ${parent.tagName.toLowerCase()}`;
      for (const match of node.data.matchAll(/\S+/g)) {
        const start = match.index ?? 0;
        let shown = '';
        let line: number | undefined;
        for (let i = 0; i < match[0].length; i += 1) {
          range.setStart(node, start + i);
          range.setEnd(node, start + i + 1);
          const rect = range.getClientRects()[0];
          const here = rect ? Math.round(rect.top) : line;
          if (line !== undefined && here !== undefined && here > line) shown += '|';
          line = here;
          shown += match[0][i];
        }
        if (shown.length === match[0].length) continue;
        range.setStart(node, start);
        range.setEnd(node, start + match[0].length);
        const width = [...range.getClientRects()].reduce((sum, r) => sum + r.width, 0);
        found.push({ word: shown, width: Math.round(width), where });
      }
    }
    return found;
  });
}

/**
 * A page as a person uses it, at 1280 and at 375 px: no serious axe violation, no sideways
 * scroll, no short word split across lines (URLs and addresses may wrap), and a screenshot at
 * each width as `<SHOTS_DIR>/<name>-<width>.png`. Back at 1280 px after.
 */
export async function checkAtBothWidths(page: Page, name: string) {
  try {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 740 : 800 });
      // The picture first: it shows what a failing check below is about.
      await screenshot(page, `${name}-${width}`);
      await assertAccessible(page, `${name} at ${width} px`);
      const { scrollWidth, offenders } = await horizontalOverflow(page);
      assert.ok(
        scrollWidth <= width,
        `${name} at ${width} px is ${scrollWidth} px wide: ${offenders.join(', ')}`,
      );
      // A word shorter than half a phone is never split mid-word (after a hyphen is a line
      // break any text may take).
      const split = (await wordsSplitAcrossLines(page)).filter(
        (w) =>
          w.width <= 187 &&
          !w.word
            .split('|')
            .slice(0, -1)
            .every((part) => part.endsWith('-')),
      );
      assert.deepEqual(split, [], `${name} at ${width} px splits words`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
}
