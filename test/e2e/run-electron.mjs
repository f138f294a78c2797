#!/usr/bin/env node
// `npm run test:vscode`: the same mocha suites as `npm run test:web`, in desktop
// VS Code via @vscode/test-electron (needs a display: run under `xvfb-run -a` on Linux).
//
// VS Code is downloaded into .tools/vscode-test/ (version from VSCODE_VERSION, default
// 1.100.3, the oldest the extension supports; "stable" for the newest), unless
// VSCODE_EXECUTABLE_PATH names an installed `code` binary. The extension must be
// built first (`npm run build`); the suites are compiled here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT } from './lib/paths.mjs';
import { buildSuites, SUITE_INDEX } from './lib/build-suites.mjs';
import { makeSandbox, elapsed } from './lib/code-server.mjs';

const say = (msg) => console.log(`[test:vscode] ${msg}`);

async function main() {
  const t0 = Date.now();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const main = path.join(ROOT, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) throw new Error(`${path.relative(ROOT, main)} is missing: run \`npm run build\` first`);

  const suites = await buildSuites();
  say(`suites compiled: ${suites.join(', ')}`);

  const sandbox = makeSandbox('kzt-vscode-');
  const resultFile = path.join(sandbox.dir, 'result.json');
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || undefined;
  const version = process.env.VSCODE_VERSION || '1.100.3';
  say(vscodeExecutablePath ? `VS Code: ${vscodeExecutablePath}` : `VS Code: ${version} (downloaded to .tools/vscode-test/)`);

  let exitError = null;
  try {
    await runTests({
      vscodeExecutablePath,
      version: vscodeExecutablePath ? undefined : version,
      cachePath: path.join(ROOT, '.tools', 'vscode-test'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE_INDEX,
      extensionTestsEnv: {
        KZT_E2E_RESULT_FILE: resultFile,
        // test-electron passes --disable-workspace-trust: the workspace is trusted here.
        KZT_E2E_HOST: 'electron',
        ...(process.env.KZT_E2E_GREP ? { KZT_E2E_GREP: process.env.KZT_E2E_GREP } : {}),
      },
      launchArgs: [
        sandbox.workspace,
        '--disable-extensions',
        '--disable-gpu',
        `--user-data-dir=${sandbox.userData}`,
        `--extensions-dir=${sandbox.extensions}`,
      ],
    });
  } catch (err) {
    exitError = err;
  }

  const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : null;
  sandbox.remove();
  const problems = [];
  if (exitError) problems.push(`VS Code test run failed: ${exitError.message ?? exitError}`);
  if (!result) problems.push('the suite reported no result (did index.js run?)');
  else {
    if (result.failures > 0) problems.push(`${result.failures} test(s) failed: ${result.failed.join('; ')}`);
    if (result.passes === 0) problems.push('no test ran');
    if (result.pending > 0) problems.push(`${result.pending} test(s) skipped`);
  }
  say(`total ${elapsed(t0)}`);
  for (const p of problems) say(`FAIL: ${p}`);
  const failed = (result?.failures ?? 0) + (problems.length && !result?.failures ? 1 : 0);
  console.log(`vscode-electron: ${result?.passes ?? 0} passed, ${failed} failed`);
  process.exitCode = problems.length ? 1 : 0;
}

main().catch((err) => {
  console.error(`[test:vscode] ${err?.stack ?? err}`);
  console.log('vscode-electron: 0 passed, 1 failed');
  process.exit(1);
});
