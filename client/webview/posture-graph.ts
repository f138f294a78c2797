/**
 * The reachability picture of the posture report, run inside its webview (bundled by esbuild
 * into dist/webview/posture-graph.js, loaded under the report's nonce-only Content-Security-Policy;
 * no network). A graph: namespaces as groups, workloads as nodes, an edge for each connection a
 * policy allows (pairs allowed only because neither side is isolated are implied by the "open"
 * marks, not drawn); filters by namespace and workload; the pair, its ports and the deciding
 * policies on hover or selection. A selection small enough to read also shows as a matrix with
 * sticky named headers.
 */
import cytoscape, { type Core, type ElementDefinition, type EventObject } from 'cytoscape';
import type { ReachabilityMatrix } from '../../server/src/protocol/protocol';

/** The matrix is readable up to this many workloads; larger selections show only the graph. */
const MATRIX_LIMIT = 25;

const data = JSON.parse(document.getElementById('kzt-reachability')!.textContent ?? '{}') as ReachabilityMatrix;
const names = displayNames(data);
const theme = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

const namespaceFilter = document.getElementById('kzt-namespace') as HTMLSelectElement;
const workloadFilter = document.getElementById('kzt-workload') as HTMLInputElement;
const details = document.getElementById('kzt-details')!;
const matrixHost = document.getElementById('kzt-matrix')!;

for (const namespace of [...new Set(data.workloads.map((w) => w.namespace))].sort()) namespaceFilter.append(new Option(namespace, namespace));

const cy: Core = cytoscape({
  container: document.getElementById('kzt-graph'),
  elements: elements(),
  wheelSensitivity: 0.3,
  style: [
    { selector: 'node', style: { label: 'data(name)', 'font-size': 11, color: theme('--vscode-foreground', '#ccc'), 'text-valign': 'bottom', 'text-margin-y': 4, 'background-color': theme('--vscode-charts-blue', '#3794ff'), width: 18, height: 18 } },
    { selector: ':parent', style: { 'background-opacity': 0.06, 'background-color': theme('--vscode-foreground', '#ccc'), 'border-color': theme('--vscode-panel-border', '#555'), 'border-width': 1, label: 'data(name)', 'text-valign': 'top', 'font-weight': 'bold', shape: 'round-rectangle', padding: '14px' } },
    { selector: 'node.open-ingress', style: { 'border-width': 3, 'border-color': theme('--vscode-editorWarning-foreground', '#cca700') } },
    { selector: 'node.open-egress', style: { shape: 'diamond' } },
    { selector: 'edge', style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': theme('--vscode-charts-green', '#89d185'), 'target-arrow-color': theme('--vscode-charts-green', '#89d185'), opacity: 0.8 } },
    { selector: 'edge.unknown', style: { 'line-style': 'dashed', 'line-color': theme('--vscode-descriptionForeground', '#999'), 'target-arrow-color': theme('--vscode-descriptionForeground', '#999') } },
    { selector: ':selected', style: { 'overlay-opacity': 0.2, 'overlay-color': theme('--vscode-focusBorder', '#007fd4') } },
    { selector: '.hidden', style: { display: 'none' } },
  ],
  layout: { name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true, padding: 20 },
});

function elements(): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const namespace of new Set(data.workloads.map((w) => w.namespace))) out.push({ data: { id: `ns:${namespace}`, name: namespace, namespace } });
  data.workloads.forEach((w, i) => {
    const classes = [w.openIngress ? 'open-ingress' : '', w.openEgress ? 'open-egress' : ''].filter(Boolean).join(' ');
    out.push({ data: { id: `w${i}`, parent: `ns:${w.namespace}`, name: names[i], namespace: w.namespace, index: i }, classes });
  });
  data.reach.forEach((row, i) =>
    row.forEach((reach, j) => {
      // Both sides open: implied by the marks (drawing every such pair is what made the matrix unreadable).
      if (i === j || reach === 'denied' || (data.workloads[i].openEgress && data.workloads[j].openIngress)) return;
      out.push({ data: { id: `e${i}>${j}`, source: `w${i}`, target: `w${j}`, from: i, to: j }, classes: reach === 'unknown' ? 'unknown' : '' });
    }),
  );
  return out;
}

/** `Deployment/web`, with its file when another workload of the namespace has the same label. */
function displayNames(matrix: ReachabilityMatrix): string[] {
  const key = (w: ReachabilityMatrix['workloads'][number]) => `${w.namespace}\0${w.label}`;
  const counts = new Map<string, number>();
  for (const w of matrix.workloads) counts.set(key(w), (counts.get(key(w)) ?? 0) + 1);
  return matrix.workloads.map((w) => ((counts.get(key(w)) ?? 0) > 1 ? `${w.label} (${fileName(w.file)})` : w.label));
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/** The workloads the filters select: a namespace, and a name (its connections stay in view). */
function selection(): number[] {
  const namespace = namespaceFilter.value;
  const text = workloadFilter.value.trim().toLowerCase();
  const matching = data.workloads.map((_, i) => i).filter((i) => (!namespace || data.workloads[i].namespace === namespace) && (!text || names[i].toLowerCase().includes(text)));
  if (!text) return matching;
  const shown = new Set(matching);
  for (const i of matching) {
    data.reach.forEach((row, j) => {
      if (row[i] !== 'denied' || data.reach[i][j] !== 'denied') shown.add(j);
    });
  }
  return [...shown].sort((a, b) => a - b);
}

function applyFilters(): void {
  const shown = new Set(selection());
  cy.batch(() => {
    cy.nodes().forEach((node) => {
      const index = node.data('index') as number | undefined;
      const visible = index === undefined ? node.children().some((child) => shown.has(child.data('index') as number)) : shown.has(index);
      node.toggleClass('hidden', !visible);
    });
    cy.edges().forEach((edge) => {
      edge.toggleClass('hidden', !shown.has(edge.data('from') as number) || !shown.has(edge.data('to') as number));
    });
  });
  cy.fit(cy.elements(':visible'), 20);
  renderMatrix([...shown].sort((a, b) => a - b));
  details.textContent = `${shown.size} of ${data.workloads.length} workloads shown. Hover or select a workload or a connection.`;
}

function describePair(i: number, j: number): string {
  const reach = data.reach[i][j];
  const why = data.why[`${i}>${j}`];
  const pair = `${names[i]} (${data.workloads[i].namespace}) → ${names[j]} (${data.workloads[j].namespace})`;
  if (reach === 'denied') return `${pair}: denied by NetworkPolicies`;
  return `${pair}: ${reach === 'unknown' ? 'decided by a Cilium policy' : 'allowed'} on ${why?.ports || 'any port'}\n${(why?.decidedBy ?? []).map((d) => `• ${d}`).join('\n')}`;
}

function describeWorkload(i: number): string {
  const w = data.workloads[i];
  const inbound = data.reach.filter((row, j) => j !== i && row[i] !== 'denied').length;
  const outbound = data.reach[i].filter((reach, j) => j !== i && reach !== 'denied').length;
  return [
    `${names[i]} in namespace ${w.namespace} (${fileName(w.file)})`,
    w.openIngress ? '• open to every source (no policy isolates its ingress, or a rule admits anyone)' : `• reachable from ${inbound} workload${inbound === 1 ? '' : 's'}`,
    w.openEgress ? '• may connect anywhere (no policy isolates its egress, or a rule admits any destination)' : `• reaches ${outbound} workload${outbound === 1 ? '' : 's'}`,
  ].join('\n');
}

function show(event: EventObject): void {
  const target = event.target;
  if (target.isEdge()) details.textContent = describePair(target.data('from') as number, target.data('to') as number);
  else if (target.data('index') !== undefined) details.textContent = describeWorkload(target.data('index') as number);
}

/** The matrix of the selection, with sticky named headers, when it is small enough to read. */
function renderMatrix(indices: number[]): void {
  matrixHost.replaceChildren();
  if (indices.length > MATRIX_LIMIT) {
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = `The matrix shows ${MATRIX_LIMIT} workloads or fewer: filter by namespace or workload to see it (${indices.length} selected).`;
    matrixHost.append(note);
    return;
  }
  const table = document.createElement('table');
  table.className = 'matrix';
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.className = 'corner';
  corner.textContent = 'from ↓ to →';
  head.append(corner);
  for (const j of indices) {
    const th = document.createElement('th');
    th.className = 'column';
    th.scope = 'col';
    const span = document.createElement('span');
    span.textContent = names[j];
    th.append(span);
    th.title = `${names[j]} (${data.workloads[j].namespace})`;
    head.append(th);
  }
  const body = table.createTBody();
  for (const i of indices) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.className = 'row';
    th.scope = 'row';
    th.textContent = `${names[i]} `;
    const ns = document.createElement('span');
    ns.className = 'muted';
    ns.textContent = data.workloads[i].namespace;
    th.append(ns);
    row.append(th);
    for (const j of indices) {
      const cell = row.insertCell();
      const reach = data.reach[i][j];
      cell.className = reach;
      cell.textContent = reach === 'allowed' ? '●' : reach === 'unknown' ? '?' : '·';
      cell.title = describePair(i, j);
    }
  }
  matrixHost.append(table);
}

cy.on('mouseover tap', 'node, edge', show);
namespaceFilter.addEventListener('change', applyFilters);
workloadFilter.addEventListener('input', applyFilters);
applyFilters();
