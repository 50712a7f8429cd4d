import { barChart, chartPatterns } from '../../web/charts.js';
import { html, type SafeHtml } from '../../web/html.js';
import type { DayActivity } from '../activity.js';

/** The activity tab: installs and uninstalls, and API calls by status class, per day. */
export function activityCharts(activity: DayActivity[]): SafeHtml {
  const days = activity.map((d) => d.day);
  const installs = barChart({
    id: 'installs-chart',
    title: 'Installs and uninstalls per day',
    days,
    stacked: false,
    series: [
      { label: 'Installs', className: 'bar-installs', values: activity.map((d) => d.installs) },
      { label: 'Uninstalls', className: 'bar-uninstalls', values: activity.map((d) => d.uninstalls) },
    ],
  });
  const calls = barChart({
    id: 'calls-chart',
    title: 'API calls per day by status',
    days,
    stacked: true,
    series: [
      { label: 'Succeeded (2xx)', className: 'bar-2xx', values: activity.map((d) => d.calls2xx) },
      { label: 'Client errors (4xx)', className: 'bar-4xx', values: activity.map((d) => d.calls4xx) },
      { label: 'Server errors (5xx)', className: 'bar-5xx', values: activity.map((d) => d.calls5xx) },
    ],
  });
  return html`${chartPatterns()}<p>The last 30 days, in UTC. Reinstalls after an uninstall count as installs; API calls are
    those of the app's API key and access tokens, counted every few seconds.</p>
    <h3>Installs and uninstalls</h3>${installs}<h3>API calls</h3>${calls}`;
}
