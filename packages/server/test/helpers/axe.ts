import assert from 'node:assert/strict';
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The impacts that fail a page; `minor` and `moderate` findings are left to review. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

// Each result the page sends back: enough to find the element and fix it.
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Loads axe-core into the page unless it is there. Not with page.addScriptTag: Porter's
 * `script-src 'self'` blocks that inline script (and logs a violation). page.evaluate runs
 * through the DevTools protocol, which the CSP does not govern, so the page keeps its real
 * CSP while it is checked and no context needs `bypassCSP`.
 */
async function injectAxe(page: Page) {
  if (await page.evaluate(() => 'axe' in window)) return;
  await page.evaluate(axe.source);
}

/** One line per failing element: rule, impact, help, the element's selector and why it fails. */
function describe(violation: Violation): string[] {
  return violation.nodes.map((node) => {
    // The summary's first line is "Fix any of the following:"; the reasons follow, one a line.
    const why = (node.failureSummary ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter(Boolean)
      .join('; ');
    return `${violation.id} (${violation.impact}): ${violation.help} — ${node.target.join(' ')}${why ? ` — ${why}` : ''}`;
  });
}

/** The serious and critical axe-core violations on the page as it is now, one line per element. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await injectAxe(page);
  const violations = await page.evaluate(async () => {
    const { axe: engine } = window as unknown as {
      axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> };
    };
    const { violations } = await engine.run(document, { resultTypes: ['violations'] });
    return violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact: impact ?? null,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
  return violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? '')).flatMap(describe);
}

/** Fails when axe-core finds a serious or critical violation on the page, naming each element. */
export async function assertAccessible(page: Page, where = page.url()) {
  const found = await seriousAxeViolations(page);
  assert.deepEqual(found, [], `axe-core on ${where}:\n${found.join('\n')}`);
}
