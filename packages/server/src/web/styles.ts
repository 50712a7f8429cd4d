// The one stylesheet, served from /assets/porter.css (a file, so the CSP needs no inline styles).
export const STYLESHEET = `
:root { --fg:#1d2330; --muted:#5b6475; --bg:#f6f7f9; --card:#fff; --line:#dde1e8; --accent:#2952cc;
  --accent-fg:#fff; --danger:#b42318; --ok:#067647; --radius:8px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
* { box-sizing: border-box; }
body { margin: 0; line-height: 1.5; }
a { color: var(--accent); }
.skip { position:absolute; left:-999px; } .skip:focus { left: 8px; top: 8px; background: var(--card); padding: 4px 8px; }
header.top { display:flex; flex-wrap:wrap; gap:12px; align-items:center; justify-content:space-between;
  padding: 10px 20px; background: var(--card); border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); font-size: 1.1rem; }
header.top nav { display:flex; flex-wrap:wrap; gap: 12px; align-items:center; }
main { max-width: 960px; margin: 24px auto; padding: 0 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 20px; margin-bottom: 16px; }
.narrow { max-width: 420px; margin: 48px auto; }
h1 { font-size: 1.5rem; margin: 0 0 16px; } h2 { font-size: 1.15rem; margin: 0 0 12px; }
label { display:block; font-weight: 600; margin: 12px 0 4px; }
input[type=text], input[type=email], input[type=password], input[type=url], textarea, select {
  width: 100%; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; background: #fff; }
input:focus-visible, button:focus-visible, select:focus-visible, textarea:focus-visible, a:focus-visible, summary:focus-visible {
  outline: 3px solid #8aa4f0; outline-offset: 1px; }
button, .button { display:inline-block; padding: 8px 14px; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-fg); font: inherit; cursor: pointer; text-decoration: none; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
button.link { background:none; border:none; color: var(--accent); padding: 0; text-decoration: underline; }
.actions { margin-top: 16px; display:flex; gap: 8px; flex-wrap: wrap; }
.field-error { color: var(--danger); font-size: .9rem; margin-top: 4px; }
.alert { border: 1px solid var(--danger); background: #fef3f2; color: var(--danger); padding: 10px 12px; border-radius: 6px; margin-bottom: 12px; }
.notice { border: 1px solid var(--ok); background: #ecfdf3; color: var(--ok); padding: 10px 12px; border-radius: 6px; margin-bottom: 12px; }
.muted { color: var(--muted); }
.badge { display:inline-block; padding: 1px 8px; border-radius: 999px; font-size: .8rem; border: 1px solid var(--line); background: #f2f4f7; }
.badge.test { background:#fffaeb; border-color:#fedf89; }
table { width: 100%; border-collapse: collapse; } th, td { text-align:left; padding: 8px; border-bottom: 1px solid var(--line); }
details.switcher { position: relative; }
details.switcher summary { cursor: pointer; list-style: none; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; }
details.switcher .menu { position: absolute; right: 0; z-index: 10; background: var(--card); border: 1px solid var(--line);
  border-radius: var(--radius); padding: 8px; min-width: 240px; box-shadow: 0 8px 24px rgba(0,0,0,.08); }
details.switcher .menu button { display:block; width:100%; text-align:left; background:none; color: var(--fg); border: none; padding: 6px 8px; }
details.switcher .menu button[aria-current=true] { font-weight: 700; }
details.switcher .menu p { margin: 4px 8px; font-size: .8rem; }
code, .secret { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.copyable code, .secret-box code { word-break: break-all; }
[aria-invalid=true] { border-color: var(--danger); border-width: 2px; }
.secret-box { display:flex; gap: 8px; align-items:flex-start; background:#f8fafc; border:1px dashed var(--line); border-radius:6px; padding:10px; }
.secret-box code { flex: 1; }
.tabs { display:flex; gap: 4px; margin-bottom: 16px; border-bottom: 1px solid var(--line); }
.tabs a { padding: 8px 12px; text-decoration:none; border:1px solid transparent; border-radius: 6px 6px 0 0; margin-bottom: -1px; }
.tabs a[aria-current=page] { background: var(--card); border-color: var(--line); border-bottom-color: var(--card); color: var(--fg); font-weight: 600; }
.copyable { display:inline-flex; gap: 8px; align-items: flex-start; max-width: 100%; } .copyable code { min-width: 0; }
.alert ul { margin: 4px 0 0; padding-left: 20px; } .alert a { color: var(--danger); font-weight: 600; }
dl dt { font-weight: 600; }
.consent { max-width: 560px; margin: 24px auto; }
.app-head { display:flex; gap: 12px; align-items: center; } .app-head img { border-radius: 8px; } .app-head h1 { margin-bottom: 4px; }
label.choice { font-weight: 400; display:flex; gap: 8px; align-items: baseline; margin: 8px 0; }
label.choice.refused { color: var(--muted); } label.choice .hint { display:block; }
.consent h2 { margin-top: 20px; } ul.scopes { padding-left: 20px; } ul.scopes li { margin: 4px 0; }
.badge.private { background:#f2f4f7; } .badge.unlisted { background:#eff8ff; border-color:#b2ddff; }
.badge.published { background:#ecfdf3; border-color:#abefc6; } .badge.in_review { background:#fffaeb; border-color:#fedf89; }
.badge.rejected, .badge.suspended { background:#fef3f2; border-color:#fecdca; }
.badge.delivered { background:#ecfdf3; border-color:#abefc6; } .badge.pending { background:#fffaeb; border-color:#fedf89; }
.badge.failed { background:#fef3f2; border-color:#fecdca; }
.attempts { margin: 4px 0 0; padding-left: 1.4em; font-size: .85rem; }
.danger-zone { border-color: var(--danger); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0 0; padding: 8px 12px; }
fieldset label { font-weight: 400; display:flex; gap: 8px; align-items: baseline; margin: 6px 0; }
.hint { color: var(--muted); font-size: .9rem; margin: 2px 0 0; }
td { overflow-wrap: break-word; } td code { word-break: normal; overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; } td.email, p.email { overflow-wrap: anywhere; }
label.check { font-weight: 400; display:flex; gap: 8px; align-items: baseline; }
dd { margin-left: 0; margin-bottom: 8px; } dd ul { padding-left: 18px; }
header.top .left { display:flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
.member-actions form { display:inline-flex; gap: 6px; align-items: center; margin: 2px 12px 2px 0; }
.member-actions select { width: auto; padding: 4px 6px; }
header.top a.user { color: var(--fg); text-decoration: none; } header.top a.user:hover { text-decoration: underline; }
figure.chart { margin: 0 0 20px; } .chart-svg { width: 100%; height: auto; display: block; max-width: 640px; }
.chart-svg text.axis { font-size: 16px; fill: var(--muted); } .chart-svg line.grid { stroke: var(--line); stroke-width: 1; }
.chart-defs { position: absolute; }
ul.legend { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
ul.legend li { display: flex; gap: 6px; align-items: center; } svg.swatch { width: 16px; height: 16px; flex: none; }
rect.bar { stroke: #1d2330; stroke-width: .5; }
.bar-installs { fill: #2952cc; } .bar-uninstalls { fill: url(#chart-dots); }
.bar-2xx { fill: #067647; } .bar-4xx { fill: url(#chart-hatch); } .bar-5xx { fill: url(#chart-cross); }
.pattern-back-warn { fill: #fef0c7; } .pattern-line-warn { stroke: #93370d; stroke-width: 3; }
.pattern-back-bad { fill: #fee4e2; } .pattern-line-bad { stroke: #b42318; stroke-width: 1.5; } .pattern-dot-bad { fill: #b42318; }
details.chart-table summary { cursor: pointer; color: var(--accent); }
details.chart-table table { margin-top: 8px; max-width: 480px; } details.chart-table td, details.chart-table th { padding: 4px 8px; white-space: nowrap; }
/* On a phone the column heads wrap, and a table still too wide scrolls inside its card, not the page. */
details.chart-table { max-width: 100%; overflow-x: auto; } details.chart-table th[scope=col] { white-space: normal; }
table.failures td code { white-space: nowrap; } table.failures td:last-child { overflow-wrap: anywhere; }
form.filters { display:grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 0 12px; margin-bottom: 12px; }
form.filters .actions { grid-column: 1 / -1; align-items: center; } .button.secondary { background:#fff; color: var(--accent); }
.pager { display:flex; justify-content: space-between; gap: 12px; margin-top: 12px; }
ul.details { list-style: none; margin: 0; padding: 0; font-size: .9rem; overflow-wrap: anywhere; }
.suspension p { margin: 4px 0; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* The marketplace (marketplace/views.ts, listing-view.ts): search, categories, app cards, a listing. */
input[type=search] { width: 100%; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; background: #fff; }
.market-search { display:flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 16px; }
.market-search .grow { flex: 1 1 240px; } .market-search label { margin-top: 0; }
.market-search input, .market-search select, .market-search button { height: 42px; }
.market { display:grid; grid-template-columns: 220px minmax(0, 1fr); gap: 20px; align-items: start; }
.categories h2 { font-size: 1rem; } .categories ul { list-style: none; padding: 0; margin: 0; }
.categories a { display:block; padding: 4px 8px; border: 1px solid transparent; border-radius: 6px; text-decoration: none; }
.categories a[aria-current=page] { background: var(--card); border-color: var(--line); font-weight: 600; color: var(--fg); }
.categories .count { color: var(--muted); }
ul.app-cards { list-style: none; padding: 0; margin: 0; display:grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.app-card { display:flex; gap: 12px; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 14px; min-width: 0; }
.app-card img, .listing-head .app-head img { flex: none; border-radius: 12px; background: #eef1f6; }
.app-card h3 { margin: 0; font-size: 1.05rem; } .app-card p { margin: 2px 0; } .app-card > div { min-width: 0; overflow-wrap: anywhere; }
.meta { display:flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: .9rem; }
.pages { display:flex; gap: 16px; align-items: center; margin-top: 16px; flex-wrap: wrap; }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: var(--radius); padding: 4px 20px; }
.crumbs { margin: 0 0 12px; } .listing-head .tagline { font-size: 1.1rem; margin: 12px 0 8px; }
.install { margin-top: 16px; } .description { white-space: pre-line; overflow-wrap: anywhere; }
ul.gallery { list-style: none; padding: 0; margin: 0; display:grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
ul.gallery img { width: 100%; height: auto; display:block; border: 1px solid var(--line); border-radius: 6px; background: #eef1f6; }
@media (max-width: 600px) {
  .market { grid-template-columns: minmax(0, 1fr); } .categories ul { display:flex; flex-wrap: wrap; gap: 4px; }
  .categories li.none { display: none; }
  main { margin: 12px auto; } .narrow { margin: 16px auto; }
  details.switcher .menu { position: fixed; left: 8px; right: 8px; min-width: 0; }
  .hide-narrow { display: none; }
  header.top .user .muted { display: none; }
  .tabs { flex-wrap: nowrap; overflow-x: auto; }
  /* A table of records becomes a list of cards: each row one block, each cell one line. */
  table.stack thead { position:absolute; width:1px; height:1px; overflow:hidden; clip: rect(0 0 0 0); }
  table.stack tr { display:block; padding: 8px 0; border-bottom: 1px solid var(--line); }
  table.stack td { display:block; border: none; padding: 2px 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  .tabs a { white-space: nowrap; }
  /* The chart scales down with the screen: larger labels in its own units stay readable. */
  .chart-svg text.axis { font-size: 24px; }
}
/* Listings: icons, screenshots, plain text that keeps its line breaks. */
ul.shots { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }
ul.shots li { max-width: 100%; } ul.shots img { max-width: 100%; max-height: 240px; border: 1px solid var(--line); border-radius: 6px; display: block; }
.listing-icon img { vertical-align: middle; border-radius: 8px; }
.reason { white-space: pre-line; overflow-wrap: anywhere; }
blockquote.reason { margin: 8px 0; padding: 8px 12px; border-left: 3px solid var(--danger); background: var(--card); color: var(--fg); }
`;

// The one script: progressive enhancement only (pages work without it). Copy buttons are
// hidden until it runs; a secret stays selectable text either way.
export const SCRIPT = `
document.querySelectorAll('button[data-copy]').forEach(function (button) {
  var target = document.getElementById(button.getAttribute('data-copy'));
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = 'Copy'; }, 2000);
    });
  });
});
`;

// The API docs (Swagger UI) in Porter's colours, with contrast enough to read (WCAG AA).
export const DOCS_STYLESHEET = `
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1f5fa8; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #16704a; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #136b5a; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a4b00; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b42318; }
.swagger-ui .opblock-summary-method { color: #fff; }
.swagger-ui .info .title small.version-stamp { background: #3b6b00; }
.swagger-ui .info a, .swagger-ui .info .url { color: #2952cc; }
.swagger-ui .btn.authorize { color: #16704a; border-color: #16704a; }
.swagger-ui .btn.authorize svg { fill: #16704a; }
`;
