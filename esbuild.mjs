// Bundles the three faces of the engine: the VS Code client, the language server and the
// `kzt` CLI, the audit worker both front ends start, and the posture report's webview script. `--watch` rebuilds on change; `--production` minifies (used by `npm run package`); `--quiet` prints nothing.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `npm install` in a checkout (postinstall) builds quietly.
const quiet = process.argv.includes('--quiet');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  metafile: true,
  logLevel: 'warning',
  // `yaml`'s ES module build: esbuild then links its functions directly, where the CommonJS
  // build is reached through a getter on every call (about 5 % of an audit's time).
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker threads of an audit, started by the CLI and the language server from beside them.
  { entryPoints: ['server/src/audit/worker-main.ts'], outfile: 'dist/audit-worker.js' },
  // The posture report's reachability graph, run in its webview (cytoscape bundled: no CDN).
  { entryPoints: ['client/webview/posture-graph.ts'], outfile: 'dist/webview/posture-graph.js', platform: 'browser', target: 'es2022', format: 'iife' },
];

if (watch) {
  for (const build of builds) await (await esbuild.context({ ...common, ...build })).watch();
  console.log('esbuild: watching client, server and CLI');
} else {
  const sizes = {};
  for (const build of builds) {
    const result = await esbuild.build({ ...common, ...build });
    for (const [file, info] of Object.entries(result.metafile.outputs)) if (file.endsWith('.js')) sizes[file] = info.bytes;
  }
  writeFileSync('dist/bundle-sizes.json', `${JSON.stringify(sizes, null, 2)}\n`);
  if (!quiet) for (const [file, bytes] of Object.entries(sizes)) console.log(`${file.padEnd(20)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
