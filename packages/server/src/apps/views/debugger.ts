import type { FailureEntry } from '../../debugger/service.js';
import { html, type SafeHtml } from '../../web/html.js';

/** The install debugger's tab: each failed request with its time, endpoint, error code and cause in plain words. */
export function debuggerTable(failures: FailureEntry[]): SafeHtml {
  const intro = html`<p>Why installs of this app failed: its authorization requests and token exchanges that Porter refused
    in the last seven days (the latest 200), newest first. Codes, secrets and verifiers are never kept.</p>`;
  if (failures.length === 0)
    return html`${intro}<p class="muted">No failed requests in the last seven days.</p>`;
  return html`${intro}<table class="stack failures"><thead><tr><th>When (UTC)</th><th>Endpoint and error</th><th>What happened</th></tr></thead><tbody>
    ${failures.map(
      (
        f,
      ) => html`<tr><td><time datetime="${f.created_at}"><span class="nowrap">${f.created_at.slice(0, 10)}</span> <span class="nowrap">${f.created_at.slice(11, 19)}</span></time></td>
        <td><code>${f.endpoint}</code><br><code>${f.error}</code></td><td>${f.message}</td></tr>`,
    )}</tbody></table>`;
}
