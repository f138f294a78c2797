import * as vscode from 'vscode';
import type { AuditResult } from '../../server/src/protocol/protocol';

/**
 * "Show Posture Report": the audit at a glance in a webview. Works offline (no CDN, no
 * scripts), follows the editor's theme through its CSS variables, and declares a strict
 * Content-Security-Policy.
 */
export function showPostureReport(result: AuditResult): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('kubeZeroTrust.posture', 'Zero Trust Posture', vscode.ViewColumn.Active, { enableScripts: false });
  panel.webview.html = postureHtml(result, panel.webview.cspSource, nonce());
  return panel;
}

export function postureHtml(result: AuditResult, cspSource: string, styleNonce: string): string {
  const p = result.posture;
  if (!p) return '<!DOCTYPE html><html><body>No audit data.</body></html>';
  const max = Math.max(1, ...p.byPrinciple.map((r) => r.counts.error + r.counts.warning + r.counts.info));
  // Widths come from classes, not style attributes: the CSP allows only the nonce'd style block.
  const width = (n: number, of: number) => `w${Math.max(1, Math.round((n / of) * 20)) * 5}`;
  const bar = (n: number, cls: string) => (n ? `<span class="bar ${cls} ${width(n, max)}" title="${n}"></span>` : '');
  const nsMax = Math.max(1, ...p.byNamespace.map((r) => r.count));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${styleNonce}';">
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
  .matrix td { text-align: center; padding: 0 .3em; } .matrix th.row { white-space: nowrap; font-weight: normal; } .open { color: var(--vscode-editorWarning-foreground); }
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
${networkSection(result)}
${result.notChecked.length ? `<h2>Not checked</h2>\n<table><tr><th>File</th><th>Why</th></tr>\n${result.notChecked.map((f) => `<tr><td>${escape(vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)))}</td><td>${escape(f.reason)}</td></tr>`).join('\n')}\n</table>` : ''}
${result.skippedCharts.length ? `<p class="muted">Helm charts skipped (audit their rendered output with <code>helm template … | kzt audit -</code>): ${result.skippedCharts.map(escape).join(', ')}</p>` : ''}
</body></html>`;
}

/** "Who may talk to whom" as a matrix: rows are sources, columns destinations. */
function networkSection(result: AuditResult): string {
  const graph = result.network;
  if (!graph || graph.workloads.length === 0) return '';
  const mark = { allowed: '<span class="open" title="allowed">●</span>', denied: '<span class="muted" title="denied">·</span>', unknown: '<span title="decided by a Cilium policy">?</span>' };
  const open = graph.reach.flat().filter((r) => r === 'allowed').length;
  return `<h2>Network reachability</h2>
<p class="muted">${open} of ${graph.reach.flat().length} workload pairs may connect (● allowed, · denied by NetworkPolicies, ? decided by a Cilium policy). Rows connect to columns.</p>
<table class="matrix"><tr><th></th>${graph.workloads.map((_, j) => `<th title="${escape(graph.workloads[j].label)}">${j + 1}</th>`).join('')}</tr>
${graph.workloads.map((w, i) => `<tr><th class="row">${i + 1}. ${escape(w.label)} <span class="muted">${escape(w.namespace)}</span></th>${graph.reach[i].map((r) => `<td>${mark[r]}</td>`).join('')}</tr>`).join('\n')}
</table>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
}
