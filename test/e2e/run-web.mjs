#!/usr/bin/env node
// `npm run test:web`: the extension's editor tests in a real VS Code (code-server
// 4.100.3 = VS Code 1.100.3) driven by headless Chromium, offline.
//
//   1. installs code-server (cached in .tools/) and Chromium (apt) if needed;
//   2. builds the extension (`npm run build` -> dist/);
//   3. compiles the mocha suites test/e2e/suite/*.test.ts into out/e2e/suite/;
//   4. copies the fixture workspace to a temp dir, starts code-server on it and opens
//      the workbench in Chromium in extension-test mode (extensionDevelopmentPath =
//      this repo, extensionTestsPath = out/e2e/suite/index.js);
//   5. fails unless the suite reports that at least one test ran and none failed.
//
//   6. runs the UI tests (test/e2e/ui/*.test.mjs, node:test + Playwright) on a fresh
//      code-server with the extension packaged by vsce and installed from the .vsix.
//
// Options: --no-build (reuse dist/), --grep <regexp> (extension-host tests only),
//          --keep (keep the temp dir), --timeout <seconds> (default 300),
//          --no-ui (skip step 6), --ui-only (only step 6; `npm run test:ui`), --verbose.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { ROOT } from './lib/paths.mjs';
import { buildSuites, SUITE_INDEX } from './lib/build-suites.mjs';
import { installCodeServer, makeSandbox, startCodeServer, launchChromium, elapsed } from './lib/code-server.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const flag = (name) => argv.includes(name);
const TIMEOUT_MS = Number(opt('--timeout') ?? process.env.KZT_E2E_TIMEOUT ?? 300) * 1000;
const GREP = opt('--grep') ?? process.env.KZT_E2E_GREP;
const VERBOSE = flag('--verbose') || !!process.env.KZT_E2E_VERBOSE;

const say = (msg) => console.log(`[test:web] ${msg}`);

export function buildExtension() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (!pkg.scripts?.build) {
    say('WARNING: package.json has no "build" script yet; the extension is not built');
    return;
  }
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
  const main = path.join(ROOT, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) throw new Error(`npm run build did not produce ${path.relative(ROOT, main)}`);
}

// Lines of the workbench log that are expected offline and say nothing about the extension.
const NOISE = [/open-vsx\.org/, /^\s+at /, /Resolv(ing|ed) connection token/, /Creating a socket/, /Service Worker/, /ChatSessionStore/, /builtin extensions cache/];

/** The workbench log (which carries the extension host's console) to stdout. */
function printWorkbenchLog(type, args) {
  const list = Array.isArray(args) ? args : [args];
  const text = list.map((a) => (typeof a === 'string' ? a : util.inspect(a))).join(' ');
  const tag = type === 'error' || type === 'warn' || type === 'warning' ? `[workbench ${type}]` : '[workbench]';
  for (const line of text.split('\n')) {
    if (!VERBOSE && NOISE.some((re) => re.test(line))) continue;
    console.log(`${tag} ${line}`);
  }
}

/** Runs the compiled mocha suite inside code-server; resolves to the suite's result object. */
export async function runSuiteInCodeServer({ entry, grep, timeoutMs, keep }) {
  const sandbox = makeSandbox();
  const resultFile = path.join(sandbox.dir, 'result.json');
  let server;
  let browser;
  try {
    // In test mode the workbench refuses the workspace-trust dialog: the suites run untrusted.
    const env = { KZT_E2E_RESULT_FILE: resultFile, KZT_E2E_HOST: 'web' };
    if (grep) env.KZT_E2E_GREP = grep;
    const t = Date.now();
    server = await startCodeServer({
      entry,
      sandbox,
      env,
      log: (line) => VERBOSE && console.log(`[code-server] ${line}`),
    });
    say(`code-server listening on ${server.url} (${elapsed(t)})`);
    browser = await launchChromium();
    const page = await browser.newPage();

    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => settle({ code }));
    await page.exposeFunction('codeAutomationLog', (type, args) => printWorkbenchLog(type, args));
    page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
    page.on('console', (m) => {
      // The workbench logs extension activation failures only to the page console.
      if (VERBOSE || (m.type() === 'error' && /Activating extension|kube-zero-trust|kubeZeroTrust/.test(m.text())))
        console.log(`[page ${m.type()}] ${m.text()}`);
    });

    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(ROOT)],
      ['extensionTestsPath', server.remoteUri(SUITE_INDEX)],
    ];
    const t2 = Date.now();
    await page.goto(server.workbenchUrl(payload));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ timeout: true }), timeoutMs);
    });
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    say(`workbench finished in ${elapsed(t2)}: ${JSON.stringify(outcome)}`);

    let result = null;
    if (fs.existsSync(resultFile)) result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    if (outcome.timeout) {
      await page.screenshot({ path: path.join(sandbox.dir, 'timeout.png') }).catch(() => {});
    }
    return { outcome, result, sandbox };
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (keep) say(`kept ${sandbox.dir}`);
    else sandbox.remove();
  }
}

/** Runs the Playwright UI tests with node:test; resolves to { passed, failed }. */
function runUiTests() {
  const dir = path.join(ROOT, 'test', 'e2e', 'ui');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(dir, f));
  const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kzt-ui-tap-')), 'ui.tap');
  const r = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...(flag('--keep') ? { KZT_E2E_KEEP: '1' } : {}) } },
  );
  const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(path.dirname(tap), { recursive: true, force: true });
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo'), status: r.status };
}

async function main() {
  const t0 = Date.now();
  let t = Date.now();
  const entry = installCodeServer();
  say(`code-server ready (${elapsed(t)})`);

  if (!flag('--no-build')) {
    t = Date.now();
    buildExtension();
    say(`extension built (${elapsed(t)})`);
  }
  const problems = [];
  let passed = 0;
  let failed = 0;
  const lines = [];

  if (!flag('--ui-only')) {
    t = Date.now();
    const suites = await buildSuites();
    say(`suites compiled: ${suites.join(', ')} (${elapsed(t)})`);
    t = Date.now();
    const { outcome, result } = await runSuiteInCodeServer({ entry, grep: GREP, timeoutMs: TIMEOUT_MS, keep: flag('--keep') });
    const before = problems.length;
    if (outcome.timeout) problems.push(`the workbench never called codeAutomationExit within ${TIMEOUT_MS / 1000} s`);
    else if (outcome.code !== 0) problems.push(`the extension test run exited with code ${outcome.code}`);
    if (!result) problems.push('the extension-host suite reported no result (did index.js run?)');
    else {
      if (result.failures > 0) problems.push(`${result.failures} extension-host test(s) failed: ${result.failed.join('; ')}`);
      if (result.passes === 0) problems.push('no extension-host test ran');
      if (result.pending > 0) problems.push(`${result.pending} extension-host test(s) skipped`);
    }
    const hostFailed = (result?.failures ?? 0) + (problems.length > before && !result?.failures ? 1 : 0);
    passed += result?.passes ?? 0;
    failed += hostFailed;
    lines.push(`extension-host tests: ${result?.passes ?? 0} passed, ${hostFailed} failed (${elapsed(t)})`);
  }

  if (!flag('--no-ui')) {
    t = Date.now();
    say('UI tests (Playwright)');
    const ui = runUiTests();
    const before = problems.length;
    if (ui.status !== 0) problems.push(`the UI tests exited with code ${ui.status}`);
    if (ui.failed > 0) problems.push(`${ui.failed} UI test(s) failed`);
    if (ui.passed === 0) problems.push('no UI test ran');
    if (ui.skipped > 0) problems.push(`${ui.skipped} UI test(s) skipped`);
    const uiFailed = ui.failed + (problems.length > before && !ui.failed ? 1 : 0);
    passed += ui.passed;
    failed += uiFailed;
    lines.push(`UI tests: ${ui.passed} passed, ${uiFailed} failed (${elapsed(t)})`);
  }

  for (const line of lines) say(line);
  say(`total ${elapsed(t0)}`);
  for (const p of problems) say(`FAIL: ${p}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = problems.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`[test:web] ${err?.stack ?? err}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  });
}
