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
import { SEL, animationsDone, center, openFile, problemCounts, runCommand, screenshot, trustWorkspace, waitForProblemCounts } from '../lib/workbench.mjs';

const SCREENSHOTS = path.join(E2E, 'screenshots');
/** Artifacts good enough for the README, copied when KZT_UPDATE_SCREENSHOTS=1. */
const README_SHOTS = ['squiggles-and-problems', 'hover-documentation', 'quick-fix-menu', 'audit-problems-by-file'];

let sandbox;
let server;
let browser;
let page;

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

test('hovering the squiggle shows the rule documentation', async () => {
  const { x, y } = await center(page, SEL.squiggleError);
  await page.mouse.move(x, y);
  const hover = page.locator(SEL.hover, { hasText: 'privileged-container' });
  await hover.waitFor({ state: 'visible' });
  const text = await hover.innerText();
  assert.match(text, /Container "web" is privileged/);
  assert.match(text, /Why it matters for zero trust/);
  assert.match(text, /How to fix/);
  await animationsDone(hover);
  await screenshot(page, 'hover-documentation');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 400);
  await page.locator(SEL.hover, { hasText: 'privileged-container' }).waitFor({ state: 'hidden' });
});

test('Ctrl+. on the squiggle offers the quick fix, and applying it removes the problem', async () => {
  const before = await problemCounts(page);
  const { x, y } = await center(page, SEL.squiggleError);
  await page.mouse.click(x, y);
  await page.keyboard.press('Control+.');
  const fix = page.locator(SEL.actionRow, { hasText: 'Remove privileged: true' });
  await fix.waitFor({ state: 'visible' });
  const rows = await page.locator(SEL.actionRow).allInnerTexts();
  assert.ok(rows.some((r) => r.startsWith('Suppress privileged-container on this line')), rows.join(' | '));
  await animationsDone(page.locator(SEL.actionWidget));
  await screenshot(page, 'quick-fix-menu');
  // Keyboard, as with Ctrl+.: the preferred fix is focused; Enter applies the focused row.
  const focused = page.locator(`${SEL.actionRow}.focused`);
  for (let i = 0; i < rows.length && !(await focused.innerText()).includes('Remove privileged: true'); i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.match(await focused.innerText(), /Remove privileged: true/);
  await page.keyboard.press('Enter');
  await page.locator(SEL.actionWidget).waitFor({ state: 'hidden' });
  await page.locator(SEL.squiggleError).first().waitFor({ state: 'detached' });
  const counts = await waitForProblemCounts(page, (c) => c.errors === before.errors - 1);
  assert.equal(counts.warnings, before.warnings, 'the other findings stay');
  const lines = await page.locator(`${SEL.editor} .view-lines`).innerText();
  assert.ok(!/privileged:\s*true/.test(lines), 'the line is gone from the editor');
  assert.match(lines, /runAsUser:\s*0/, 'the rest of the file is there');
  await screenshot(page, 'quick-fix-applied');
});

test('F1 "Kubernetes Zero Trust: Audit Workspace" fills the Problems panel with files never opened', async () => {
  await runCommand(page, 'Kubernetes Zero Trust: Audit Workspace');
  const toast = page.locator(SEL.notification, { hasText: 'Kubernetes Zero Trust: audit found' });
  await toast.waitFor({ state: 'visible' });
  assert.match(await toast.innerText(), /audit found \d+ findings? in \d+ of \d+ files/);
  await toast.getByRole('button', { name: 'Open Problems' }).click();
  const panel = page.locator(SEL.markersPanel);
  await panel.waitFor({ state: 'visible' });
  await panel.locator('.monaco-list-row', { hasText: 'nightly-job.yml' }).first().waitFor({ state: 'visible' });
  assert.match(await panel.innerText(), /Container "report" is privileged/);
  await screenshot(page, 'audit-problems-panel');
  // Collapsed to one row per file, the panel lists every manifest with findings.
  await page.locator('.part.panel').getByRole('button', { name: 'Collapse All' }).click();
  await panel.locator('.monaco-list-row', { hasText: 'good-pod.yaml' }).waitFor({ state: 'visible' });
  const files = await panel.locator('.monaco-list-row').allInnerTexts();
  for (const name of ['nightly-job.yml', 'broken.yaml', 'good-pod.yaml', 'mixed.yaml', 'stack.yaml', 'suppress.yaml']) {
    assert.ok(files.some((row) => row.includes(name)), `${name} in the Problems panel: ${files.map((f) => f.split('\n')[0]).join(', ')}`);
  }
  assert.ok(!files.some((row) => row.includes('hardened-api.yaml')), 'the hardened manifest has no problems');
  await screenshot(page, 'audit-problems-by-file');
});
