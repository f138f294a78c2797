// The CLI as CI users get it: the `npm pack` tarball, installed into an empty project offline
// (the bundle needs no dependency), run through its two bin names and through npx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - {name: app, image: nginx:1.27, securityContext: {privileged: true}}
`;

test('npm pack ships only the bundles, schemas and docs, and installs and runs offline as kzt, kube-zero-trust and npx', () => {
  const out = mkdtempSync(join(tmpdir(), 'kzt-pack-'));
  // The bundles were built by `npm test`; prepack would rebuild them under the other test files' feet.
  const pack = spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const [{ filename, files }] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const shipped = files.map((f) => f.path).sort();
  assert.deepEqual(shipped, [
    'LICENSE',
    'README.md',
    'dist/audit-worker.js',
    'dist/cli.js',
    'dist/extension.js',
    'dist/server.js',
    'dist/webview/posture-graph.js',
    'images/icon.png',
    'package.json',
    'rules/README.md',
    'server/src/config/kube-zero-trust.schema.json',
    'server/src/report/kzt-report.schema.json',
    ...readdirSync(join(root, 'syntaxes')).map((f) => `syntaxes/${f}`),
  ].sort());

  const project = mkdtempSync(join(tmpdir(), 'kzt-install-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ci-job', version: '1.0.0', private: true }));
  const install = spawnSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(out, filename)], { cwd: project, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stdout + install.stderr);
  assert.deepEqual(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.')), ['kube-zero-trust'], 'no runtime dependency');

  writeFileSync(join(project, 'pod.yaml'), POD);
  for (const bin of ['kzt', 'kube-zero-trust']) {
    const run = spawnSync(join(project, 'node_modules', '.bin', bin), ['audit', '.', '--format', 'compact'], { cwd: project, encoding: 'utf8' });
    assert.equal(run.status, 1, `${bin}: ${run.stderr}`);
    assert.match(run.stdout, /^pod\.yaml:6:\d+ error privileged-container/m);
  }
  const npx = spawnSync('npx', ['--offline', 'kube-zero-trust', 'audit', 'pod.yaml', '--format', 'json'], { cwd: project, encoding: 'utf8' });
  assert.equal(npx.status, 1, npx.stderr);
  assert.equal(JSON.parse(npx.stdout).tool.name, 'kube-zero-trust');
});

test('the extension packages with vsce (its secret scan included): no credential-shaped test data in the bundles', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'kzt-vsix-')), 'kube-zero-trust.vsix');
  const vsce = spawnSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], { cwd: root, encoding: 'utf8' });
  assert.equal(vsce.status, 0, vsce.stdout + vsce.stderr);
});
