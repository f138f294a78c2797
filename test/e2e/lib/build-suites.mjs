// Compiles the mocha suites in test/e2e/suite/ for the VS Code extension host:
// each `*.test.ts` and `index.ts` becomes one CommonJS bundle in out/e2e/suite/.
// `vscode` stays external (the extension host provides it); mocha is bundled into
// index.js, so nothing has to be resolved from node_modules at run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './paths.mjs';

export const SUITE_SRC = path.join(ROOT, 'test', 'e2e', 'suite');
export const SUITE_OUT = path.join(ROOT, 'out', 'e2e', 'suite');
export const SUITE_INDEX = path.join(SUITE_OUT, 'index.js');

export async function buildSuites() {
  const entryPoints = fs
    .readdirSync(SUITE_SRC)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(SUITE_SRC, f));
  fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  fs.mkdirSync(SUITE_OUT, { recursive: true });
  // The repository's package.json has no "type"; pin CommonJS for the bundles anyway.
  fs.writeFileSync(path.join(ROOT, 'out', 'e2e', 'package.json'), '{ "type": "commonjs" }\n');
  await build({
    entryPoints,
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode resolves worker files at run time; it is not used here.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return entryPoints.map((f) => path.basename(f));
}
