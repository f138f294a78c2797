import * as vscode from 'vscode';
import type { AuditResult } from '../../server/src/protocol/protocol';

/**
 * "Show Posture Report": the audit at a glance in a webview. Works offline (no CDN: the one
 * script, the reachability graph, is bundled with the extension), follows the editor's theme
 * through its CSS variables, and declares a strict Content-Security-Policy (only its own nonce'd
 * style and script run).
 */
export function showPostureReport(result: AuditResult, extensionUri: vscode.Uri): vscode.WebviewPanel {
  const scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const panel = vscode.window.createWebviewPanel('kubeZeroTrust.posture', 'Zero Trust Posture', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [scripts] });
  const graphScript = panel.webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'posture-graph.js')).toString();
  panel.webview.html = postureHtml(result, panel.webview.cspSource, nonce(), graphScript);
  return panel;
}

/**
 * The one style attribute cytoscape writes on its container (seen as a CSP report in the UI test):
 * allowed by its hash, so no other inline style applies.
 */
const GRAPH_INLINE_STYLE = 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8=';

export function postureHtml(result: AuditResult, cspSource: string, styleNonce: string, graphScript: string): string {
  const p = result.posture;
  if (!p) return '<!DOCTYPE html><html><body>No audit data.</body></html>';
  const max = Math.max(1, ...p.byPrinciple.map((r) => r.counts.error + r.counts.warning + r.counts.info));
  // Widths come from classes, not style attributes: the CSP allows only the nonce'd style block.
  const width = (n: number, of: number) => `w${Math.max(1, Math.round((n / of) * 20)) * 5}`;
  const bar = (n: number, cls: string) => (n ? `<span class="bar ${cls} ${width(n, max)}" title="${n}"></span>` : '');
  const nsMax = Math.max(1, ...p.byNamespace.map((r) => r.count));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${styleNonce}' 'unsafe-hashes' '${GRAPH_INLINE_STYLE}'; script-src 'nonce-${styleNonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Zero Trust Posture</title>
<style nonce="${styleNonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); padding: 0 1.5em; }
  h1 { font-weight: 600; } h2 { border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; }
  .tiles { display: flex; gap: 1em; flex-wrap: wrap; }
  .tile { border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: .6em 1em; min-width: 8em; }
  .tile b { display: block; font-size: 1.8em; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .25em .6em; border-bottom: 1px solid var(--vscode-panel-border); }
  td.bars { width: 55%; } .bar { display: inline-block; height: .9em; vertical-align: middle; }
  .error { background: var(--vscode-editorError-foreground); } .warning { background: var(--vscode-editorWarning-foreground); } .info { background: var(--vscode-editorInfo-foreground); }
  .muted { color: var(--vscode-descriptionForeground); }
  .filters { display: flex; gap: 1em; align-items: center; margin: .6em 0; flex-wrap: wrap; }
  select, input { background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, var(--vscode-panel-border)); padding: .2em .4em; }
  #kzt-graph { height: 520px; border: 1px solid var(--vscode-panel-border); }
  #kzt-details { white-space: pre-wrap; min-height: 4.5em; font-family: var(--vscode-editor-font-family); border-left: 3px solid var(--vscode-focusBorder); padding: .3em .6em; }
  .legend span { margin-right: 1.2em; }
  .matrix-scroll { max-height: 560px; overflow: auto; }
  table.matrix { width: auto; } .matrix td { text-align: center; padding: 0 .3em; }
  .matrix th { background: var(--vscode-editor-background); font-weight: normal; }
  .matrix thead th { position: sticky; top: 0; z-index: 1; vertical-align: bottom; }
  .matrix th.column span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
  .matrix th.row { position: sticky; left: 0; white-space: nowrap; }
  .matrix th.corner { position: sticky; left: 0; top: 0; z-index: 2; }
  .matrix td.allowed { color: var(--vscode-editorWarning-foreground); }
  ${Array.from({ length: 21 }, (_, i) => `.w${i * 5} { width: ${i * 5}%; }`).join(' ')}
</style></head>
<body>
<h1>Zero Trust Posture</h1>
<div class="tiles">
  <div class="tile"><b>${p.total}</b>findings</div>
  <div class="tile"><b>${p.bySeverity.error}</b>errors</div>
  <div class="tile"><b>${p.bySeverity.warning}</b>warnings</div>
  <div class="tile"><b>${p.bySeverity.info}</b>info</div>
  <div class="tile"><b>${p.suppressed}</b>suppressed</div>
  <div class="tile"><b>${p.files}</b>files</div>
</div>
<h2>By zero-trust principle</h2>
<table><tr><th>Principle</th><th>Errors</th><th>Warnings</th><th>Info</th><th></th></tr>
${p.byPrinciple.map((r) => `<tr><td>${escape(r.principle)}</td><td>${r.counts.error}</td><td>${r.counts.warning}</td><td>${r.counts.info}</td><td class="bars">${bar(r.counts.error, 'error')}${bar(r.counts.warning, 'warning')}${bar(r.counts.info, 'info')}</td></tr>`).join('\n')}
</table>
<h2>By namespace</h2>
<table><tr><th>Namespace</th><th>Findings</th><th></th></tr>
${p.byNamespace.map((r) => `<tr><td>${escape(r.namespace)}</td><td>${r.count}</td><td class="bars"><span class="bar warning ${width(r.count, nsMax)}"></span></td></tr>`).join('\n') || '<tr><td class="muted" colspan="3">No findings.</td></tr>'}
</table>
<h2>Top rules</h2>
<table><tr><th>Rule</th><th>Findings</th></tr>
${p.topRules.map((r) => `<tr><td><code>${escape(r.ruleId)}</code> <span class="muted">${escape(r.title)}</span></td><td>${r.count}</td></tr>`).join('\n') || '<tr><td class="muted" colspan="2">No findings.</td></tr>'}
</table>
${networkSection(result, styleNonce, graphScript)}
${result.notChecked.length ? `<h2>Not checked</h2>\n<table><tr><th>File</th><th>Why</th></tr>\n${result.notChecked.map((f) => `<tr><td>${escape(vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)))}</td><td>${escape(f.reason)}</td></tr>`).join('\n')}\n</table>` : ''}
${result.skippedCharts.length ? `<p class="muted">Helm charts skipped (audit their rendered output with <code>helm template … | kzt audit -</code>): ${result.skippedCharts.map(escape).join(', ')}</p>` : ''}
</body></html>`;
}

/**
 * "Who may talk to whom": a graph (namespaces as groups, workloads as nodes, an edge per
 * connection a policy allows) drawn by the bundled script from the data below, with filters, the
 * pair's ports and deciding policies on hover or selection, and the matrix of a small selection.
 */
function networkSection(result: AuditResult, nonce: string, graphScript: string): string {
  const graph = result.network;
  if (!graph || graph.workloads.length === 0) return '';
  const open = graph.reach.flat().filter((r) => r === 'allowed').length;
  const openIngress = graph.workloads.filter((w) => w.openIngress).length;
  // The data as JSON inside the page: `<` escaped so no text of the workspace can close the element.
  const json = JSON.stringify(graph).replace(/</g, '\\u003c');
  return `<h2>Network reachability</h2>
<p class="muted">${open} of ${graph.reach.flat().length} workload pairs may connect; ${openIngress} of ${graph.workloads.length} workloads accept connections from any source.</p>
<p class="legend muted"><span>● workload</span><span>thick yellow border: open to every source</span><span>◆ may connect anywhere</span><span>→ allowed by a policy</span><span>- - → decided by a Cilium policy</span></p>
<div class="filters">
  <label>Namespace <select id="kzt-namespace"><option value="">All namespaces</option></select></label>
  <label>Workload <input id="kzt-workload" type="search" placeholder="name contains…"></label>
</div>
<div id="kzt-graph" role="img" aria-label="Reachability graph"></div>
<div id="kzt-details" aria-live="polite"></div>
<div id="kzt-matrix" class="matrix-scroll"></div>
<script type="application/json" id="kzt-reachability">${json}</script>
<script nonce="${nonce}" src="${escape(graphScript)}"></script>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
}
