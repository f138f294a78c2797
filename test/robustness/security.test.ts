// Security: the server and the CLI never reach the network and never run anything from the
// workspace. Both run with a preload (fixtures/guard.cjs) that makes every socket, DNS
// lookup, HTTP request, fetch, child process, worker and require of non-built-in code fail
// loudly and records it; the workspace is full of bait (config files, package.json scripts,
// JavaScript that would leave a marker file if it ran, YAML with JavaScript tags, remote
// kustomize bases, Helm charts). The manifest claims (untrusted and virtual workspaces) are
// checked against what the code does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ServerProcess } from './server-process';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const GUARD = join(__dirname, 'fixtures', 'guard.cjs');

/** A workspace whose every executable-looking file would write into `markers/` if it ran. */
function baitedWorkspace(): { dir: string; markers: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-bait-'));
  const markers = join(dir, 'markers');
  mkdirSync(markers);
  const js = (name: string) => `require('fs').writeFileSync(${JSON.stringify(join(markers, name.replace(/\W/g, '_')))}, 'ran');\nmodule.exports = {};\n`;
  const shell = (name: string) => `node -e "require('fs').writeFileSync('${join(markers, name)}', 'ran')"`;
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'bait', main: 'index.js', scripts: { preinstall: shell('preinstall'), postinstall: shell('postinstall'), prepare: shell('prepare'), test: shell('test'), lint: shell('lint') }, 'kube-zero-trust': { rules: './rules/evil-rule.js' } }),
    'index.js': js('index.js'),
    'kzt.config.js': js('kzt.config.js'),
    '.kube-zero-trust.js': js('.kube-zero-trust.js'),
    'kube-zero-trust.config.js': js('kube-zero-trust.config.js'),
    'rules/evil-rule.js': js('rules/evil-rule.js'),
    'rules/evil-rule.ts': js('rules/evil-rule.ts'),
    'node_modules/kube-zero-trust-rules/index.js': js('node_modules'),
    'node_modules/kube-zero-trust-rules/package.json': JSON.stringify({ name: 'kube-zero-trust-rules', main: 'index.js' }),
    '.vscode/settings.json': JSON.stringify({ 'kubeZeroTrust.rules': { 'privileged-container': 'error' }, 'yaml.customTags': ['!!js/function'] }),
    '.kube-zero-trust.yaml': 'profile: restricted\nexclude: ["vendor/**"]\nrules:\n  privileged-container: error\n',
    'manifests/pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    hook: !!js/function "function () { require('fs').writeFileSync('${join(markers, 'js-function')}', 'ran') }"
    regexp: !!js/regexp /x/
    url: https://attacker.example/collect?token=abc
spec:
  containers:
    - name: app
      image: attacker.example:5000/app:latest
      securityContext: {privileged: true}
      env:
        - {name: API_TOKEN, value: "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
`,
    'manifests/kustomization.yaml': 'resources:\n  - https://github.com/attacker/bait//deploy?ref=main\n  - git@github.com:attacker/bait.git\n',
    'manifests/remote-schema.yaml': '# yaml-language-server: $schema=https://attacker.example/schema.json\n$schema: https://attacker.example/schema.json\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: bait\nversion: 0.1.0\n',
    'chart/values.yaml': 'image: nginx\n',
    'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: {{ .Values.image }}\n',
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  // A manifest that is really a script, under a manifest's name.
  symlinkSync(join(dir, 'index.js'), join(dir, 'manifests', 'script.yaml'));
  return { dir, markers };
}

function guardEnv(dir: string): { env: NodeJS.ProcessEnv; log: string; loaded: string } {
  const log = join(dir, '..', `${dir.split('/').pop()}-guard.log`);
  const loaded = `${log}.loaded`;
  return { env: { ...process.env, KZT_GUARD_LOG: log, KZT_GUARD_LOADED: loaded }, log, loaded };
}

function guardRecords(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
}

describe('security', () => {
  test('the guard itself works: it records and fails a request, a fetch, a spawn and a require', () => {
    const { dir } = baitedWorkspace();
    const { env, log } = guardEnv(dir);
    const script = `
      for (const attempt of [() => require('node:https').get('https://example.com'), () => fetch('https://example.com'), () => require('node:child_process').execSync('true'), () => require(${JSON.stringify(join(dir, 'index.js'))}), () => require('node:dns').lookup('example.com', () => {})]) {
        try { attempt(); console.log('not blocked'); } catch {}
      }`;
    const run = spawnSync(process.execPath, ['--require', GUARD, '-e', script], { env, encoding: 'utf8' });
    assert.equal(run.stdout, '', 'every attempt threw');
    assert.deepEqual(guardRecords(log).map((r) => JSON.parse(r).what), ['node:https.get', 'fetch', 'child_process.execSync', 'require', 'dns.lookup']);
  });

  test('the CLI makes no connection and runs nothing from the workspace', () => {
    const { dir, markers } = baitedWorkspace();
    const { env, log, loaded } = guardEnv(dir);
    for (const args of [['audit', '.'], ['audit', '.', '--format', 'sarif'], ['audit', '.', '--format', 'markdown'], ['audit', 'manifests', '--config', '.kube-zero-trust.yaml', '--format', 'json'], ['audit', '-']]) {
      const run = spawnSync(process.execPath, ['--require', GUARD, CLI, ...args], { cwd: dir, env, encoding: 'utf8', input: readFileSync(join(dir, 'manifests', 'pod.yaml')) });
      assert.ok(run.status === 0 || run.status === 1, `kzt ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /kzt guard/);
    }
    assert.ok(existsSync(loaded), 'the guard was loaded into the CLI');
    assert.deepEqual(guardRecords(log), [], 'the CLI tried to reach out or load code');
    assert.deepEqual(readdirSync(markers), [], 'something from the workspace ran');
  });

  test('the language server makes no connection and runs nothing from the workspace', async () => {
    const { dir, markers } = baitedWorkspace();
    const { env, log, loaded } = guardEnv(dir);
    const server = await ServerProcess.start({ nodeArgs: ['--require', GUARD], env, workspaceFolder: dir, settings: { debounceMs: 0 } });
    try {
      const audit = await server.request<{ files: number }>('kzt/auditWorkspace', null, 60_000);
      assert.ok(audit.files >= 3, JSON.stringify(audit));
      for (const name of ['manifests/pod.yaml', 'manifests/script.yaml', 'chart/templates/deployment.yaml', '.kube-zero-trust.yaml']) {
        const uri = `file://${join(dir, name)}`;
        const text = readFileSync(join(dir, name), 'utf8');
        server.open(uri, text);
        if (name.startsWith('manifests/')) {
          const diagnostics = await server.diagnosticsFor(uri);
          await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 8 } });
          await server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } }, context: { diagnostics } });
        }
      }
      // A changed config file and changed scripts on disk are read as data, or not at all.
      const config = `file://${join(dir, '.kube-zero-trust.yaml')}`;
      server.change(config, 2, [{ text: 'profile: baseline\n' }]);
      server.notify('workspace/didChangeWatchedFiles', { changes: ['index.js', 'package.json', 'rules/evil-rule.js', 'manifests/pod.yaml'].map((f) => ({ uri: `file://${join(dir, f)}`, type: 2 })) });
      server.notify('workspace/didChangeConfiguration', { settings: null });
      await server.request('kzt/listRules', null);
      await server.request('kzt/auditWorkspace', null, 60_000);
      assert.ok(server.alive);
    } finally {
      await server.stop();
    }
    assert.ok(existsSync(loaded), 'the guard was loaded into the server');
    assert.deepEqual(guardRecords(log), [], 'the server tried to reach out or load code');
    assert.deepEqual(readdirSync(markers), [], 'something from the workspace ran');
    assert.deepEqual(server.logs.filter((l) => /kzt guard/.test(l.message)).map((l) => l.message), []);
  });

  test('package.json declares untrusted-workspace support truthfully', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    // Supported in untrusted workspaces, limited: nothing from the workspace runs (proven above),
    // and the one program the extension may run (kustomize, in trusted workspaces only:
    // test/lsp/kustomize-render.test.ts) is named by a setting a workspace cannot set (machine
    // scope) and that Restricted Mode ignores. No other setting names something to execute.
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.match(untrusted.description, /not rendered/);
    const runsSomething: string[] = [];
    for (const [name, schema] of Object.entries<{ type?: string; scope?: string; markdownDescription?: string; description?: string }>(manifest.contributes.configuration.properties)) {
      const text = `${schema.description ?? ''} ${schema.markdownDescription ?? ''}`;
      if (!/\b(command|executable|script|plugin|require|path to)\b/i.test(`${name} ${text}`)) continue;
      runsSomething.push(name);
      assert.equal(schema.scope, 'machine', `${name} names something to run: only the user may set it`);
    }
    assert.deepEqual(runsSomething, ['kubeZeroTrust.kustomize.command']);
    assert.deepEqual(untrusted.restrictedConfigurations, runsSomething);
  });

  test('the virtual-workspace claim matches the client (it selects vscode-vfs documents)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    // Virtual workspaces: "limited", because audits read the local file system. The claim that
    // open documents are still checked needs the client to select documents of any scheme.
    const virtual = manifest.capabilities.virtualWorkspaces;
    assert.equal(virtual.supported, 'limited');
    const client = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    const selector = /documentSelector:\s*\[([\s\S]*?)\]/.exec(client)?.[1] ?? '';
    const schemes = [...selector.matchAll(/scheme:\s*'([^']+)'/g)].map((m) => m[1]);
    const anyScheme = /\{\s*language:\s*'yaml'\s*\}/.test(selector);
    if (/open documents are checked/i.test(virtual.description)) {
      assert.ok(anyScheme || schemes.some((s) => !['file', 'untitled'].includes(s)), `package.json says open documents are checked in virtual workspaces, but the client only selects ${schemes.join(', ')} documents (a virtual workspace's files have another scheme, e.g. vscode-vfs)`);
    }
  });
});
