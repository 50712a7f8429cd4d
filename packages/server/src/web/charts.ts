import { html, type SafeHtml } from './html.js';

// Bar charts drawn on the server as SVG: no script, no inline style (the CSP stays strict).
// Colours and patterns come from classes in the stylesheet, so no series is told by colour
// alone; every chart has a legend with totals and its numbers as a table.

/** One series of a chart: its label, its stylesheet class (bar-…), one value per day. */
export interface Series {
  label: string;
  className: string;
  values: number[];
}

export interface BarChart {
  /** Unique on the page: the chart's ids derive from it. */
  id: string;
  title: string;
  days: string[];
  series: Series[];
  /** Stacked (parts of one total) or side by side (separate counts). */
  stacked: boolean;
}

// The viewBox: narrow enough that labels stay readable when it scales down to a phone.
const W = 480;
const H = 232;
const LEFT = 50;
const RIGHT = 22;
const TOP = 10;
const BOTTOM = 36;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = H - TOP - BOTTOM;

/** The smallest of 1, 2, 5 × 10ⁿ at or above `max` (at least 1): a round top for the axis. */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** An axis label short enough for a phone: 2500 → 2.5k, 5000000 → 5M. */
export function tickLabel(n: number): string {
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e3) return `${n / 1e3}k`;
  return String(n);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

function yAxis(top: number): SafeHtml[] {
  const ticks = top % 2 === 0 ? [0, top / 2, top] : [0, top];
  return ticks.map((t) => {
    const y = fmt(TOP + PLOT_H - (t / top) * PLOT_H);
    return html`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${y}" y2="${y}"></line><text class="axis" x="${LEFT - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`;
  });
}

function xAxis(days: string[], slot: number): SafeHtml[] {
  // A label a week apart, ending on today: "MM-DD".
  return days
    .map((day, i) => ({ day, i }))
    .filter(({ i }) => (days.length - 1 - i) % 7 === 0)
    .map(({ day, i }) => {
      // Today's label ends at the edge rather than past it.
      const last = i === days.length - 1;
      const x = fmt(last ? W - 2 : LEFT + slot * (i + 0.5));
      return html`<text class="axis" x="${x}" y="${H - 6}" text-anchor="${last ? 'end' : 'middle'}">${day.slice(5)}</text>`;
    });
}

function bar(
  x: number,
  y: number,
  width: number,
  height: number,
  series: Series,
  day: string,
  value: number,
) {
  return html`<rect class="bar ${series.className}" x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${fmt(height)}"><title>${day}, ${series.label.toLowerCase()}: ${value}</title></rect>`;
}

function bars(chart: BarChart, top: number, slot: number): SafeHtml[] {
  const scale = (v: number) => (v / top) * PLOT_H;
  const base = TOP + PLOT_H;
  return chart.days.flatMap((day, i) => {
    const x0 = LEFT + slot * i + slot * 0.15;
    const width = slot * 0.7;
    if (chart.stacked) {
      let y = base;
      return chart.series.flatMap((s) => {
        const v = s.values[i] ?? 0;
        if (v === 0) return [];
        y -= scale(v);
        return [bar(x0, y, width, scale(v), s, day, v)];
      });
    }
    const each = width / chart.series.length;
    return chart.series.flatMap((s, k) => {
      const v = s.values[i] ?? 0;
      return v === 0 ? [] : [bar(x0 + k * each, base - scale(v), each, scale(v), s, day, v)];
    });
  });
}

function legend(chart: BarChart): SafeHtml {
  const items = chart.series.map(
    (s) =>
      html`<li><svg class="swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><rect class="bar ${s.className}" width="16" height="16"></rect></svg>${s.label}: <strong>${sum(s.values)}</strong></li>`,
  );
  return html`<ul class="legend">${items}</ul>`;
}

function table(chart: BarChart): SafeHtml {
  const head = chart.series.map((s) => html`<th scope="col">${s.label}</th>`);
  const rows = chart.days.map(
    (day, i) =>
      html`<tr><th scope="row">${day}</th>${chart.series.map((s) => html`<td>${s.values[i] ?? 0}</td>`)}</tr>`,
  );
  return html`<details class="chart-table"><summary>Show as table</summary>
    <table><caption>${chart.title} (UTC days)</caption><thead><tr><th scope="col">Day</th>${head}</tr></thead><tbody>${rows}</tbody></table></details>`;
}

/** A bar chart per day: the SVG (titled and described for screen readers), its legend and its table. */
export function barChart(chart: BarChart): SafeHtml {
  const { id, days } = chart;
  const max = chart.stacked
    ? Math.max(0, ...days.map((_, i) => sum(chart.series.map((s) => s.values[i] ?? 0))))
    : Math.max(0, ...chart.series.flatMap((s) => s.values));
  const top = niceMax(max);
  const slot = PLOT_W / Math.max(1, days.length);
  // "Label: n", never "1 uninstalls".
  const totals = chart.series.map((s) => `${s.label}: ${sum(s.values)}`).join(', ');
  const description = `${days[0]} to ${days[days.length - 1]} (UTC): ${totals}. The numbers per day are in the table below.`;
  return html`<figure class="chart" id="${id}">
    <svg class="chart-svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title ${id}-desc">
      <title id="${id}-title">${chart.title}</title><desc id="${id}-desc">${description}</desc>
      ${yAxis(top)}${bars(chart, top, slot)}${xAxis(days, slot)}
    </svg>
    <figcaption>${legend(chart)}</figcaption>
    ${table(chart)}
  </figure>`;
}

/**
 * The patterns the stylesheet fills bars with (classes bar-…), once per page: hatching and dots
 * tell the series apart without colour.
 */
export function chartPatterns(): SafeHtml {
  return html`<svg class="chart-defs" aria-hidden="true" focusable="false" width="0" height="0"><defs>
    <pattern id="chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect class="pattern-back-warn" width="6" height="6"></rect><line class="pattern-line-warn" x1="0" y1="0" x2="0" y2="6"></line></pattern>
    <pattern id="chart-cross" width="6" height="6" patternUnits="userSpaceOnUse">
      <rect class="pattern-back-bad" width="6" height="6"></rect><path class="pattern-line-bad" d="M0 0L6 6M6 0L0 6"></path></pattern>
    <pattern id="chart-dots" width="5" height="5" patternUnits="userSpaceOnUse">
      <rect class="pattern-back-bad" width="5" height="5"></rect><circle class="pattern-dot-bad" cx="2.5" cy="2.5" r="1.5"></circle></pattern>
  </defs></svg>`;
}
