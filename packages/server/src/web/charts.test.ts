import assert from 'node:assert/strict';
import { it } from 'node:test';
import { barChart, niceMax, tickLabel } from './charts.js';

it('rounds the axis up to 1, 2 or 5 times a power of ten, and shortens big labels', () => {
  assert.deepEqual([0, 1, 3, 7, 10, 11, 180, 2001].map(niceMax), [1, 1, 5, 10, 10, 20, 200, 5000]);
  assert.deepEqual([0, 5, 2500, 5_000_000].map(tickLabel), ['0', '5', '2.5k', '5M']);
});

it('draws one titled, described SVG with a legend and a table of every day, escaped', () => {
  const svg = barChart({
    id: 'c',
    title: 'Calls <per> day',
    days: ['2026-01-01', '2026-01-02'],
    stacked: true,
    series: [
      { label: 'A', className: 'bar-a', values: [1, 0] },
      { label: 'B', className: 'bar-b', values: [2, 3] },
    ],
  }).value;
  assert.match(svg, /role="img" aria-labelledby="c-title c-desc"/);
  assert.match(svg, /<title id="c-title">Calls &lt;per&gt; day<\/title>/);
  assert.match(svg, /<desc id="c-desc">2026-01-01 to 2026-01-02 \(UTC\): A: 1, B: 5\./);
  assert.equal(
    (svg.match(/<rect class="bar /g) ?? []).length,
    3 + 2,
    'three bars (no zero bar) and two swatches',
  );
  assert.match(svg, /<tr><th scope="row">2026-01-02<\/th><td>0<\/td><td>3<\/td><\/tr>/);
  assert.doesNotMatch(svg, /style=/);
});
