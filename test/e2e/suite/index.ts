/**
 * Mocha entry point loaded by VS Code as `extensionTestsPath`, both by the
 * code-server runner (test/e2e/run-web.mjs) and by @vscode/test-electron
 * (test/e2e/run-electron.mjs). It runs every compiled `*.test.js` next to it.
 *
 * The outcome is reported three ways, so that a runner can tell "all passed"
 * from "nothing ran":
 *  - the promise: rejects when a test failed, when no test ran, or a test was skipped;
 *  - a console line `KZT-E2E-RESULT {"tests":…,"passes":…,"failures":…,"pending":…}`;
 *  - the same JSON in the file named by env KZT_E2E_RESULT_FILE, when set.
 *
 * Env: KZT_E2E_GREP (only tests whose full title matches this regexp).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';

// mocha 12 is an ES module whose CommonJS build is bundled into this file by esbuild.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mochaModule = require('mocha');
const Mocha: typeof import('mocha') = mochaModule.Mocha ?? mochaModule.default ?? mochaModule;

/**
 * All suites share one window, so order matters where a suite changes shared state:
 * the audit publishes every file's diagnostics (the open-a-file suites must run before it),
 * the config-file suite changes the policy of the whole workspace (and restores it), and the
 * crash test restarts the language server. Unlisted suites run at '*'.
 */
const ORDER = ['smoke', 'restricted-mode', 'diagnostics', 'broken-yaml', 'hover', '*', 'settings', 'code-actions', 'audit', 'audit-results', 'export-report', 'suppress', 'config-file', 'server-restart'];

export interface SuiteResult {
  tests: number;
  passes: number;
  failures: number;
  pending: number;
  failed: string[];
  durationMs: number;
}

export function run(): Promise<void> {
  // The workbench forwards console arguments without applying printf-style formats;
  // format here so the reporter's lines arrive readable.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(util.format(...args));
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: 60_000,
    slow: 5_000,
  });
  const grep = process.env.KZT_E2E_GREP;
  if (grep) mocha.grep(new RegExp(grep));

  const dir = __dirname;
  const rank = (f: string) => {
    const i = ORDER.indexOf(f.replace(/\.test\.js$/, ''));
    return i < 0 ? ORDER.indexOf('*') : i;
  };
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(dir, f));
  console.log(`[kzt-e2e] ${files.length} test file(s): ${files.join(', ')}`);

  return new Promise<void>((resolve, reject) => {
    const failed: string[] = [];
    const started = Date.now();
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => undefined);
    } catch (err) {
      reject(err);
      return;
    }
    runner.on('fail', (test) => failed.push(test.fullTitle()));
    runner.once('end', () => {
      const s = runner.stats ?? { tests: 0, passes: 0, failures: 0, pending: 0 };
      const result: SuiteResult = {
        tests: s.tests,
        passes: s.passes,
        failures: s.failures,
        pending: s.pending,
        failed,
        durationMs: Date.now() - started,
      };
      const line = `KZT-E2E-RESULT ${JSON.stringify(result)}`;
      console.log(line);
      const file = process.env.KZT_E2E_RESULT_FILE;
      if (file) {
        try {
          fs.writeFileSync(file, JSON.stringify(result, null, 2));
        } catch (err) {
          console.error(`[kzt-e2e] cannot write ${file}: ${String(err)}`);
        }
      }
      if (result.failures > 0) reject(new Error(`${result.failures} test(s) failed: ${failed.join('; ')}`));
      else if (result.passes === 0) reject(new Error('no test ran'));
      else if (result.pending > 0) reject(new Error(`${result.pending} test(s) were skipped`));
      else resolve();
    });
  });
}
