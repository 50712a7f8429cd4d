// The partner app's pages: small HTML, every value escaped, the stylesheet a file (CSP allows no
// inline style or script).

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Markup built by these views; plain strings given to them are escaped. */
class Html {
  constructor(readonly value: string) {}
}

function html(strings: TemplateStringsArray, ...values: (Html | string | false | undefined)[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += (v instanceof Html ? v.value : v ? esc(v) : '') + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** The whole document around a page's body. */
export function layout(title: string, appName: string, body: Html): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(appName)}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><p class="brand">${esc(appName)}</p></header><main>${body.value}</main></body></html>`;
}

/**
 * A button that starts an install. A GET of /install starts one too: it is the app's Install URL,
 * where Porter's marketplace sends customers (the state is this browser's, so a link cannot
 * finish an install for anyone; the customer still consents in Porter).
 */
const installButton = (label: string) =>
  html`<form method="post" action="/install"><button type="submit">${label}</button></form>`;

export function homeView(appName: string): Html {
  return html`<h1>Connect ${appName} to Porter</h1>
    <p>${appName} sends your store's events to Porter. Install it into your company to start: Porter
    asks you to sign in, shows what ${appName} may do, and sends you back here.</p>
    ${installButton('Install in Porter')}`;
}

export function declinedView(appName: string): Html {
  return html`<h1>You declined the install</h1>
    <p>No problem: ${appName} has no access to your company. If you change your mind, you can
    start again at any time.</p>
    ${installButton('Try again')}`;
}

export function reinstallView(appName: string, companyName: string): Html {
  return html`<h1>Reinstall ${appName}</h1>
    <p role="alert">${appName} can no longer reach ${companyName} in Porter: the app was uninstalled
    or its access was revoked. Install it again to carry on.</p>
    ${installButton('Reinstall in Porter')}`;
}

export function problemView(title: string, message: string): Html {
  return html`<h1>${title}</h1><p role="alert">${message}</p>
    <p><a href="/">Back to the start</a></p>`;
}

export interface DashboardModel {
  companyName: string;
  companyId: string;
  scopes: string[];
  installedBy: string | undefined;
  flash: { ok: boolean; text: string } | undefined;
}

export function dashboardView(m: DashboardModel): Html {
  const flash = m.flash && html`<p class="${m.flash.ok ? 'ok' : 'error'}" role="status">${m.flash.text}</p>`;
  return html`<h1>${m.companyName}</h1>
    ${flash}
    <dl><dt>Company ID</dt><dd><code>${m.companyId}</code></dd>
    <dt>Granted scopes</dt><dd>${m.scopes.join(', ') || 'none'}</dd>
    ${m.installedBy && html`<dt>Installed by</dt><dd>${m.installedBy}</dd>`}</dl>
    <form method="post" action="/sync"><button type="submit">Sync data</button></form>
    <p class="hint">Sync data sends a custom event (<code>Data Synced</code>) to this company in Porter.</p>`;
}
