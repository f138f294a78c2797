// UI tests: a person's use of the extension in VS Code (code-server 4.100.3 = VS Code
// 1.100.3) in headless Chromium. The extension is packaged with vsce and installed from
// the .vsix, as a user installs it, so packaging is checked too.
//
// Run by `npm run test:web` (after the extension-host suites) or `npm run test:ui`;
// screenshots go to test/e2e/artifacts/ (KZT_UPDATE_SCREENSHOTS=1 also refreshes the
// committed ones in test/e2e/screenshots/).
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, E2E, ARTIFACTS } from '../lib/paths.mjs';
import { installCodeServer, launchChromium, makeSandbox, startCodeServer } from '../lib/code-server.mjs';
import { SEL, animationsDone, center, chooseAction, closeActiveEditor, expandPane, openFile, problemCounts, resizeSideBar, runCommand, screenshot, trustWorkspace, waitForProblemCounts, webviewFrame } from '../lib/workbench.mjs';

const SCREENSHOTS = path.join(E2E, 'screenshots');
/** Artifacts good enough for the README, copied when KZT_UPDATE_SCREENSHOTS=1. */
const README_SHOTS = ['squiggles-and-problems', 'hover-documentation', 'quick-fix-menu', 'refactor-preview', 'audit-problems-by-file', 'rule-documentation', 'zero-trust-view', 'zero-trust-by-file', 'posture-report', 'posture-graph', 'posture-reachability'];

let sandbox;
let server;
let browser;
let page;
/** Findings in privileged-web.yaml, as the status bar item showed them before the quick fix. */
let fileFindings;
/** What the audit's notification reported: { findings, files }. */
let audited;
/** Content-Security-Policy violations reported by any frame (the posture webview's included). */
const cspViolations = [];

/** The extension's status bar item's text (codicons are rendered as icons, not text). */
async function kztStatusText() {
  return (await page.locator(SEL.kztStatus).innerText()).trim();
}

async function waitForKztStatus(pattern) {
  const item = page.locator(SEL.kztStatus);
  await item.filter({ hasText: pattern }).waitFor({ state: 'visible' });
  return kztStatusText();
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  const entry = installCodeServer();
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  sandbox = makeSandbox('kzt-ui-');

  // Package and install the extension the way a user gets it.
  const vsix = path.join(sandbox.dir, 'kube-zero-trust.vsix');
  sh(path.join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', vsix], { cwd: ROOT });
  const installed = sh(process.execPath, [entry, '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions, '--install-extension', vsix], {
    env: { ...process.env, XDG_CONFIG_HOME: path.join(sandbox.dir, 'xdg-config'), XDG_DATA_HOME: path.join(sandbox.dir, 'xdg-data') },
  });
  assert.match(installed, /kube-zero-trust.*was successfully installed/, installed);

  server = await startCodeServer({ entry, sandbox });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.setDefaultTimeout(60_000); // the first open includes activation and the server's start
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text()) && /refused|violat/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(server.workbenchUrl());
  await page.locator(SEL.workbench).waitFor({ state: 'visible' });
  await trustWorkspace(page);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (process.env.KZT_UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const name of README_SHOTS) {
      const from = path.join(ARTIFACTS, `${name}.png`);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(SCREENSHOTS, `${name}.png`));
    }
  }
  if (process.env.KZT_E2E_KEEP) console.log(`kept ${sandbox?.dir}`);
  else sandbox?.remove();
});

test('opening a manifest shows squiggles and the Problems count in the status bar', async () => {
  await openFile(page, 'privileged-web.yaml');
  await page.locator(SEL.squiggleError).first().waitFor({ state: 'visible' });
  await page.locator(SEL.squiggleWarning).first().waitFor({ state: 'visible' });
  const counts = await waitForProblemCounts(page, (c) => c.errors >= 1 && c.warnings >= 2);
  assert.ok(counts.errors >= 1 && counts.warnings >= 2, counts.label);
  // Clicking the count opens the Problems panel with the file's findings.
  await page.locator(SEL.problemsStatus).click();
  const panel = page.locator(SEL.markersPanel);
  await panel.locator('.monaco-list-row', { hasText: 'is privileged' }).first().waitFor({ state: 'visible' });
  const text = await panel.innerText();
  assert.match(text, /privileged-web\.yaml/);
  assert.match(text, /kube-zero-trust\s*\(?\s*privileged-container/);
  assert.match(text, /kube-zero-trust\s*\(?\s*run-as-root/);
  await screenshot(page, 'squiggles-and-problems');
  await page.keyboard.press('Control+J'); // hide the panel again
  await panel.waitFor({ state: 'hidden' });
});

test('the status bar item counts the current file\'s findings; a click opens Problems', async () => {
  // Only this file has diagnostics so far: the item and the Problems count agree.
  const counts = await waitForProblemCounts(page, (c) => c.errors >= 1 && c.warnings >= 2);
  const total = counts.errors + counts.warnings + counts.infos;
  const text = await waitForKztStatus(`${total} zero-trust findings`);
  assert.equal(text, `${total} zero-trust findings`);
  fileFindings = total;
  const label = await page.locator(SEL.kztStatus).getAttribute('aria-label');
  assert.match(label, new RegExp(`${total} findings in this file \\(${counts.errors} errors?\\)`), label);
  assert.match(await page.locator(SEL.kztStatus).innerHTML(), /codicon-shield/, 'with the shield icon');

  // Another file: the item follows the active editor.
  await openFile(page, 'hardened-api.yaml');
  assert.equal(await waitForKztStatus('Zero trust: clean'), 'Zero trust: clean');
  await openFile(page, 'privileged-web.yaml');
  await waitForKztStatus(`${total} zero-trust findings`);

  await page.locator(SEL.kztStatus).click();
  const panel = page.locator(SEL.markersPanel);
  await panel.locator('.monaco-list-row', { hasText: 'is privileged' }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Control+J');
  await panel.waitFor({ state: 'hidden' });
  await page.locator(SEL.editor).first().click({ position: { x: 200, y: 10 } }); // focus back in the editor
});

test('hovering the squiggle shows the finding and the title of its rule linking to the documentation', async () => {
  const { x, y } = await center(page, SEL.squiggleError);
  await page.mouse.move(x, y);
  const hover = page.locator(SEL.hover, { hasText: 'privileged-container' });
  await hover.waitFor({ state: 'visible' });
  const text = await hover.innerText();
  assert.match(text, /Container "web" is privileged/);
  assert.match(text, /Documentation: Privileged container/);
  assert.doesNotMatch(text, /How to fix/, 'the whole documentation is one click away');
  assert.ok(text.length < 1500, `${text.length} characters`);
  // The link is trusted for this one command: it opens the documentation offline.
  assert.equal(await hover.locator('a', { hasText: /^Privileged container$/ }).count(), 1);
  await animationsDone(hover);
  await screenshot(page, 'hover-documentation');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 400);
  await page.locator(SEL.hover, { hasText: 'privileged-container' }).waitFor({ state: 'hidden' });
});

test('the rule id in the hover links to the rule documentation, opened offline in a Markdown preview', async () => {
  const { x, y } = await center(page, SEL.squiggleError);
  await page.mouse.move(x, y);
  const hover = page.locator(SEL.hover, { hasText: 'privileged-container' });
  await hover.waitFor({ state: 'visible' });
  const link = hover.locator('a.code-link', { hasText: 'privileged-container' });
  await link.click();
  await page.locator(SEL.activeTab, { hasText: 'Preview privileged-container.md' }).waitFor({ state: 'visible' });
  const doc = webviewFrame(page);
  await doc.locator('h1', { hasText: 'privileged-container' }).waitFor({ state: 'visible' });
  const text = await doc.locator('body').innerText();
  assert.match(text, /Privileged container · least-privilege · default severity error/);
  assert.match(text, /Why it matters for zero trust\./);
  assert.match(text, /How to fix\./);
  assert.match(text, /kzt-ignore privileged-container -- reason/);
  await screenshot(page, 'rule-documentation');
  await closeActiveEditor(page);
  await page.locator(SEL.activeTab, { hasText: 'privileged-web.yaml' }).waitFor({ state: 'visible' });
});

test('hovering a node with five findings stays short: each message and the title of its rule, under 1,500 characters', async () => {
  await openFile(page, 'five-findings.yaml');
  await page.locator(SEL.squiggleWarning).first().waitFor({ state: 'visible' });
  const box = await page.locator(`${SEL.editor} .view-line span span`).filter({ hasText: /^securityContext$/ }).first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator(SEL.hover, { hasText: 'seccomp-not-enforced' });
  await hover.waitFor({ state: 'visible' });
  // The hover's content: the workbench adds its own row (View Problem, Quick Fix) below it.
  const text = (await hover.locator('.hover-row:not(.status-bar)').allInnerTexts()).join('\n');
  for (const rule of ['capabilities-not-dropped', 'privilege-escalation-allowed', 'run-as-root', 'seccomp-not-enforced', 'writable-root-filesystem']) assert.ok(text.includes(rule), `${rule} in the hover:\n${text}`);
  assert.ok(text.length < 1500, `${text.length} characters:\n${text}`);
  assert.doesNotMatch(text, /Why it matters|How to fix/, 'no whole documentation');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 400);
  await hover.waitFor({ state: 'hidden' });
});

test('Ctrl+. on a node with five findings: the fixes first, one "Suppress…", no documentation entries', async () => {
  const box = await page.locator(`${SEL.editor} .view-line span span`).filter({ hasText: /^securityContext$/ }).first().boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press('Control+.');
  await page.locator(SEL.actionRow, { hasText: 'Suppress' }).waitFor({ state: 'visible' });
  await animationsDone(page.locator(SEL.actionWidget));
  const rows = (await page.locator(SEL.actionRow).allInnerTexts()).map((r) => r.trim());
  assert.deepEqual(rows.filter((r) => r.startsWith('Suppress')), ['Suppress…'], rows.join(' | '));
  assert.equal(rows[rows.length - 1], 'Suppress…', 'suppression comes after the fixes');
  assert.ok(!rows.some((r) => /documentation/i.test(r)), rows.join(' | '));
  assert.ok(rows.length <= 9, `${rows.length} entries: ${rows.join(' | ')}`);
  assert.ok(rows.some((r) => r.startsWith('Apply the restricted security context to this container')), rows.join(' | '));
  await screenshot(page, 'quick-fix-menu');
  await page.keyboard.press('Escape');
  await page.locator(SEL.actionWidget).waitFor({ state: 'hidden' });
  await closeActiveEditor(page);
});

test('Ctrl+. on the squiggle offers the fix; it removes a privilege, so the refactor preview asks first', async () => {
  await openFile(page, 'privileged-web.yaml');
  const before = await problemCounts(page);
  const { x, y } = await center(page, SEL.squiggleError);
  await page.mouse.click(x, y);
  await page.keyboard.press('Control+.');
  const fix = page.locator(SEL.actionRow, { hasText: 'Remove privileged: true' });
  await fix.waitFor({ state: 'visible' });
  // Keyboard, as with Ctrl+.: the preferred fix is focused; Enter applies the focused row.
  const rows = await page.locator(SEL.actionRow).allInnerTexts();
  const focused = page.locator(`${SEL.actionRow}.focused`);
  for (let i = 0; i < rows.length && !(await focused.innerText()).includes('Remove privileged: true'); i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.match(await focused.innerText(), /Remove privileged: true/);
  await page.keyboard.press('Enter');
  await page.locator(SEL.actionWidget).waitFor({ state: 'hidden' });

  // The refactor preview: the change is listed, unchecked until the user agrees, with why it asks.
  const preview = page.locator('.part.panel');
  const checkbox = preview.locator('input.edit-checkbox').first();
  await checkbox.waitFor({ state: 'visible' });
  assert.match(await preview.innerText(), /REFACTOR PREVIEW[\s\S]*privileged-web\.yaml[\s\S]*privileged: true/);
  assert.equal(await checkbox.isChecked(), false, 'a change that needs confirmation starts unchecked');
  assert.ok(await page.locator(SEL.squiggleError).count(), 'nothing is applied before the user confirms');
  await checkbox.check();
  await animationsDone(preview);
  await screenshot(page, 'refactor-preview');
  await preview.getByRole('button', { name: 'Apply' }).click();
  await page.locator(SEL.squiggleError).first().waitFor({ state: 'detached' });
  // One finding covered what privileged: true grants; without it, the three settings it made moot
  // (capabilities not dropped, privilege escalation, no seccomp profile) are reported on their own.
  const counts = await waitForProblemCounts(page, (c) => c.errors === before.errors - 1 && c.warnings === before.warnings + 3);
  assert.equal(counts.warnings, before.warnings + 3, 'the other findings stay, and the three the privileged finding covered appear');
  const lines = await page.locator(`${SEL.editor} .view-lines`).innerText();
  assert.ok(!/^\s*privileged:\s*true/m.test(lines), 'the pair is gone from the editor');
  assert.match(lines, /runAsUser:\s*0/, 'the rest of the file is there');
  await waitForKztStatus(`${fileFindings - 1 + 3} zero-trust findings`);
  await screenshot(page, 'quick-fix-applied');
  if (await preview.isVisible()) await page.keyboard.press('Control+J');
});

test('F1 "Kubernetes Zero Trust: Audit Workspace" fills the Problems panel with files never opened', async () => {
  await runCommand(page, 'Kubernetes Zero Trust: Audit Workspace');
  const toast = page.locator(SEL.notification, { hasText: 'Kubernetes Zero Trust: audit found' });
  await toast.waitFor({ state: 'visible' });
  const summary = /audit found (\d+) findings? in \d+ of (\d+) files/.exec(await toast.innerText());
  assert.ok(summary, await toast.innerText());
  audited = { findings: Number(summary[1]), files: Number(summary[2]) };
  await toast.getByRole('button', { name: 'Open Problems' }).click();
  const panel = page.locator(SEL.markersPanel);
  await panel.waitFor({ state: 'visible' });
  await panel.locator('.monaco-list-row', { hasText: 'nightly-job.yml' }).first().waitFor({ state: 'visible' });
  assert.match(await panel.innerText(), /Container "report" is privileged/);
  await screenshot(page, 'audit-problems-panel');
  // Collapsed to one row per file, the panel lists every manifest with findings.
  // Maximized, the panel has room for every file's row (the list renders only visible rows).
  await page.locator('.part.panel').getByRole('button', { name: 'Collapse All' }).click();
  await runCommand(page, 'View: Toggle Maximized Panel');
  await page.locator(SEL.editor).first().waitFor({ state: 'hidden' });
  await panel.locator('.monaco-list-row', { hasText: 'ingress-gateway.yaml' }).waitFor({ state: 'visible' });
  const files = await panel.locator('.monaco-list-row').allInnerTexts();
  for (const name of ['nightly-job.yml', 'broken.yaml', 'good-pod.yaml', 'mixed.yaml', 'stack.yaml', 'suppress.yaml', 'cilium.yaml', 'ingress-gateway.yaml']) {
    assert.ok(files.some((row) => row.includes(name)), `${name} in the Problems panel: ${files.map((f) => f.split('\n')[0]).join(', ')}`);
  }
  assert.ok(!files.some((row) => row.includes('hardened-api.yaml')), 'the hardened manifest has no problems');
  await screenshot(page, 'audit-problems-by-file');
  await runCommand(page, 'View: Toggle Maximized Panel');
  await page.locator(SEL.editor).first().waitFor({ state: 'visible' });
});

test('the Zero Trust view lists the audit by principle → rule → resource, suppressed findings with their reason; a click reveals the node', async () => {
  await page.keyboard.press('Control+J'); // the Problems panel from the last test
  await page.locator(SEL.markersPanel).waitFor({ state: 'hidden' });
  await page.keyboard.press('Control+Shift+E');
  const view = await expandPane(page, 'Zero Trust', ['Explorer', 'Outline', 'Timeline']);
  await resizeSideBar(page, 560);
  const rows = view.locator('.monaco-list-row');
  const topLevel = view.locator('.monaco-list-row[aria-level="1"]');
  await topLevel.filter({ hasText: 'least-privilege' }).waitFor({ state: 'visible' });
  const labels = await topLevel.locator('.label-name').allInnerTexts();
  for (const principle of ['least-privilege', 'micro-segmentation', 'credential-protection']) assert.ok(labels.includes(principle), `${principle} among ${labels.join(', ')}`);
  assert.ok(!labels.some((l) => ['shop', 'edge', 'kube-system'].includes(l)), `principles, not namespaces: ${labels.join(', ')}`);
  const least = topLevel.filter({ hasText: 'least-privilege' });
  assert.match(await least.locator('.label-description').innerText(), /^\d+ findings, 1 suppressed$/);

  // principle → rule → resource → finding
  await least.click();
  const rule = view.locator('.monaco-list-row[aria-level="2"]', { hasText: 'privileged-container' });
  await rule.click();
  const resource = view.locator('.monaco-list-row[aria-level="3"]', { hasText: 'Deployment/gateway' });
  await resource.waitFor({ state: 'visible' });
  assert.match(await resource.locator('.label-description').innerText(), /^0 findings, 1 suppressed$/);
  await resource.click();
  const leaf = view.locator('.monaco-list-row[aria-level="4"]', { hasText: 'suppressed (comment' });
  await leaf.waitFor({ state: 'visible' });
  const description = await leaf.locator('.label-description').innerText();
  assert.equal(description, "suppressed (comment: envoy programs the node's iptables for transparent proxying) · privileged-container · reports/ingress-gateway.yaml:26", 'the suppression comes first: the sidebar cuts long descriptions');
  assert.match(await leaf.locator('.label-name').innerText(), /Container "envoy" is privileged/);
  assert.ok(await leaf.locator('.codicon-pass').count(), 'a suppressed finding gets the "pass" icon');

  // A click opens the file with the finding's range (`true`, 26:25-26:29) selected.
  await leaf.click();
  await page.locator(SEL.activeTab, { hasText: 'ingress-gateway.yaml' }).waitFor({ state: 'visible' });
  await page.locator(SEL.selectionStatus, { hasText: 'Ln 26, Col 29 (4 selected)' }).waitFor({ state: 'visible' });
  await animationsDone(view);
  await screenshot(page, 'zero-trust-view');

  // The title button regroups by namespace → resource; its twin switches back.
  await view.locator('.action-label[aria-label="Group by Namespace"]').click();
  await topLevel.filter({ hasText: 'kube-system' }).waitFor({ state: 'visible' });
  const namespaces = await topLevel.locator('.label-name').allInnerTexts();
  for (const ns of ['shop', 'edge', 'kube-system', 'tools']) assert.ok(namespaces.includes(ns), `${ns} in ${namespaces.join(', ')}`);
  assert.ok(!namespaces.includes('least-privilege'), namespaces.join(', '));
  const edge = topLevel.filter({ hasText: 'edge' });
  await edge.click();
  await view.locator('.monaco-list-row[aria-level="2"]', { hasText: 'Deployment/gateway' }).waitFor({ state: 'visible' });
  await view.locator('.action-label[aria-label="Group by Principle"]').click();
  await topLevel.filter({ hasText: 'least-privilege' }).waitFor({ state: 'visible' });
  assert.equal(await topLevel.filter({ hasText: 'kube-system' }).count(), 0);
  assert.ok((await rows.count()) >= 4);
  // Group rows carry the icon of their worst severity.
  assert.ok(await topLevel.filter({ hasText: 'least-privilege' }).locator('.codicon-error').count(), 'least-privilege has errors: the error icon');

  // By folder → file → finding.
  await view.locator('.action-label[aria-label="Group by File"]').click();
  await topLevel.filter({ hasText: 'reports' }).waitFor({ state: 'visible' });
  const folders = await topLevel.locator('.label-name').allInnerTexts();
  for (const folder of ['deploy', 'reports', 'fixes']) assert.ok(folders.includes(folder), `${folder} in ${folders.join(', ')}`);
  await topLevel.filter({ hasText: 'reports' }).click();
  const file = view.locator('.monaco-list-row[aria-level="2"]', { hasText: 'ingress-gateway.yaml' });
  await file.waitFor({ state: 'visible' });
  assert.ok(await file.locator('.codicon-error, .codicon-warning, .codicon-info, .codicon-pass').count(), 'the file row has a severity icon');
  await animationsDone(view);
  await screenshot(page, 'zero-trust-by-file');
  await view.locator('.action-label[aria-label="Group by Principle"]').click();
  await topLevel.filter({ hasText: 'least-privilege' }).waitFor({ state: 'visible' });
});

test('F1 "Show Posture Report": tiles, tables and the reachability matrix in a themed webview with a CSP', async () => {
  await page.keyboard.press('Control+B'); // the whole width for the report
  await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
  await runCommand(page, 'Kubernetes Zero Trust: Show Posture Report');
  await page.locator(SEL.activeTab, { hasText: 'Zero Trust Posture' }).waitFor({ state: 'visible' });
  const report = webviewFrame(page);
  await report.locator('h1', { hasText: 'Zero Trust Posture' }).waitFor({ state: 'visible' });

  const tiles = await report.locator('.tile').allInnerTexts();
  const tile = (name) => Number(tiles.map((t) => t.split('\n')).find(([, label]) => label === name)?.[0]);
  assert.equal(tiles.length, 6, tiles.join(' | '));
  assert.equal(tile('findings'), audited.findings, 'the same total as the audit');
  assert.equal(tile('files'), audited.files);
  assert.equal(tile('suppressed'), 2, 'the two in-source suppressions of reports/ingress-gateway.yaml');
  assert.equal(tile('errors') + tile('warnings') + tile('info'), tile('findings'));

  const headings = await report.locator('h2').allInnerTexts();
  assert.deepEqual(headings, ['By zero-trust principle', 'By namespace', 'Top rules', 'Network reachability']);
  const table = (i) => report.locator('table').nth(i).locator('tr');
  const principles = await table(0).allInnerTexts();
  assert.ok(principles.some((r) => /^least-privilege\t\d+\t\d+\t\d+/.test(r)), principles.join(' | '));
  const namespaces = await table(1).allInnerTexts();
  for (const ns of ['shop', 'edge', 'kube-system']) assert.ok(namespaces.some((r) => r.startsWith(`${ns}\t`)), `${ns}: ${namespaces.join(' | ')}`);
  assert.ok((await table(2).count()) > 3, 'top rules listed');
  assert.ok(await report.locator('.bar.error').count(), 'severity bars drawn');

  // The reachability graph: drawn by the bundled script (cytoscape) on a canvas, filterable.
  const graph = report.locator('#kzt-graph');
  await graph.locator('canvas').first().waitFor({ state: 'visible' });
  const details = report.locator('#kzt-details');
  const shown = /(\d+) of (\d+) workloads shown/.exec(await details.innerText());
  assert.ok(shown, await details.innerText());
  const total = Number(shown[2]);
  assert.ok(total >= 8, `${total} workloads`);
  assert.equal(Number(shown[1]), total, 'all shown before filtering');
  assert.match(await report.locator('p.muted').first().innerText(), /\d+ of \d+ workload pairs may connect/);
  await report.locator('#kzt-graph').scrollIntoViewIfNeeded();
  await animationsDone(report.locator('body'));
  await screenshot(page, 'posture-graph');

  // Filter by namespace: the graph and a matrix with named headers for that namespace.
  await report.locator('#kzt-namespace').selectOption('shop');
  await details.filter({ hasText: new RegExp(`^\\d+ of ${total} workloads shown`) }).waitFor();
  const inShop = Number(/(\d+) of/.exec(await details.innerText())[1]);
  assert.ok(inShop >= 2 && inShop < total, `${inShop} in shop`);
  const matrix = report.locator('table.matrix');
  await matrix.waitFor({ state: 'visible' });
  assert.equal(await matrix.locator('th.column').count(), inShop, 'one named column per workload');
  const columns = await matrix.locator('th.column').allInnerTexts();
  assert.ok(columns.every((c) => /^[A-Za-z]+\/[a-z0-9-]+/.test(c.trim())), `named columns: ${columns.join(', ')}`);
  assert.equal(await matrix.locator('thead th').first().evaluate((th) => getComputedStyle(th).position), 'sticky', 'headers stay in view');
  const cell = matrix.locator('td').first();
  assert.match(await cell.getAttribute('title'), /^\S+ \(shop\) → \S+ \(shop\): (allowed on|denied by|decided by)/, 'a cell names its pair');
  // Filter by workload: it and its connections.
  await report.locator('#kzt-namespace').selectOption('');
  await report.locator('#kzt-workload').fill('gateway');
  await details.filter({ hasText: /workloads shown/ }).waitFor();
  const withGateway = Number(/(\d+) of/.exec(await details.innerText())[1]);
  assert.ok(withGateway >= 1 && withGateway < total, `${withGateway} shown for "gateway"`);
  await report.locator('#kzt-workload').fill('');

  // Offline and locked down: a CSP, no scripts; colours from the editor theme.
  const csp = await report.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /style-src 'nonce-[A-Za-z0-9]+'/);
  assert.match(csp, /script-src 'nonce-[A-Za-z0-9]+'/);
  assert.deepEqual(await report.locator('script[src]').evaluateAll((scripts) => scripts.map((s) => new URL(s.src).pathname.split('/').slice(-2).join('/'))), ['webview/posture-graph.js'], 'one script, bundled with the extension');
  assert.deepEqual(cspViolations, [], 'nothing the CSP refused');
  const colours = await report.locator('body').evaluate((body) => {
    const style = getComputedStyle(body);
    const root = getComputedStyle(document.documentElement);
    const probe = document.createElement('span');
    probe.style.color = root.getPropertyValue('--vscode-foreground');
    body.appendChild(probe);
    const expected = getComputedStyle(probe).color;
    probe.remove();
    return { color: style.color, expected, variable: root.getPropertyValue('--vscode-foreground') };
  });
  assert.ok(colours.variable, 'the workbench passes its theme variables');
  assert.equal(colours.color, colours.expected, 'the text colour is the theme\'s foreground');
  await report.locator('h1').scrollIntoViewIfNeeded();
  await screenshot(page, 'posture-report');
  await report.locator('#kzt-namespace').selectOption('shop');
  await report.locator('table.matrix').scrollIntoViewIfNeeded();
  await screenshot(page, 'posture-reachability');
});

test('"Suppress … on this line…" asks for the reason in an input box and writes it in a kzt-ignore comment', async () => {
  await page.keyboard.press('Control+B'); // the side bar back (the last test hid it)
  await openFile(page, 'suppress.yaml');
  await page.locator(SEL.squiggleError).first().waitFor({ state: 'visible' });
  const before = Number(/(\d+) zero-trust findings/.exec(await waitForKztStatus(/\d+ zero-trust findings/))?.[1]);
  const { x, y } = await center(page, SEL.squiggleError);
  await page.mouse.click(x, y);
  await page.keyboard.press('Control+.');
  await chooseAction(page, 'Suppress privileged-container…');
  // Which finding and where: a quick pick, then the reason.
  const pick = page.locator(SEL.quickInputRow, { hasText: 'Suppress privileged-container on this line' });
  await pick.waitFor({ state: 'visible' });
  await pick.click();
  const input = page.locator(SEL.quickInput);
  await input.locator('.quick-input-title', { hasText: 'Suppress privileged-container on this line' }).waitFor({ state: 'visible' });
  assert.match(await input.innerText(), /Why is this acceptable\?/);
  const reason = 'the node agent loads eBPF programs';
  await page.keyboard.type(reason);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  const lines = page.locator(`${SEL.editor} .view-lines`);
  await lines.filter({ hasText: `# kzt-ignore privileged-container -- ${reason}` }).waitFor({ state: 'visible' });
  await page.locator(SEL.squiggleError).first().waitFor({ state: 'detached' });
  await waitForKztStatus(`${before - 1} zero-trust finding`);
  await screenshot(page, 'suppress-with-reason');
});

test('Audit Workspace shows a cancellable notification with the file count; Cancel stops it with what it audited', async () => {
  // Enough manifests that the audit is still running when the button is pressed.
  const bulk = path.join(sandbox.workspace, 'bulk');
  fs.mkdirSync(bulk, { recursive: true });
  const manifest = fs.readFileSync(path.join(sandbox.workspace, 'fixes', 'five-findings.yaml'), 'utf8');
  for (let i = 0; i < 1500; i++) fs.writeFileSync(path.join(bulk, `app-${i}.yaml`), manifest.replaceAll('reports', `reports-${i}`));
  try {
    await runCommand(page, 'Kubernetes Zero Trust: Audit Workspace');
    const progress = page.locator(SEL.notification, { hasText: 'Kubernetes Zero Trust: auditing' });
    await progress.filter({ hasText: /\d+ of \d+ files/ }).waitFor({ state: 'visible' });
    assert.match(await progress.innerText(), /\d+ of \d+ files/, 'the file count');
    await screenshot(page, 'audit-progress');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const toast = page.locator(SEL.notification, { hasText: 'audit cancelled after' });
    await toast.waitFor({ state: 'visible' });
    const summary = /audit cancelled after \d+ findings? in \d+ of (\d+) files/.exec(await toast.innerText());
    assert.ok(summary && Number(summary[1]) >= 1500, await toast.innerText());
  } finally {
    fs.rmSync(bulk, { recursive: true, force: true });
  }
});
