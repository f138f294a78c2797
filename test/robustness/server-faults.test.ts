// Faults and limits at the server: a rule that throws is logged (window/logMessage) while
// every other rule's diagnostics still arrive; files over kubeZeroTrust.maxFileSizeMB get a
// clear message instead of work, on open, when an edit makes them too large, and on disk.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { ServerProcess } from './server-process';

const ROOT = join(__dirname, '..', '..');

const POD = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
`;

/**
 * The real server, bundled with one extra rule that throws on resources named `boom`. The
 * server has no way to load a rule from outside (on purpose), so the test builds this
 * variant (fixtures/build-throwing-server.mjs, in its own process: esbuild's service does not
 * run under the test runner's loader).
 */
function serverWithThrowingRule(): string {
  const outfile = join(mkdtempSync(join(tmpdir(), 'kzt-variant-')), 'server.js');
  const build = spawnSync(process.execPath, [join(__dirname, 'fixtures', 'build-throwing-server.mjs'), outfile], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  return outfile;
}

describe('server faults and limits', () => {
  test('a rule that throws is logged; every other rule still reports; the server keeps going', async () => {
    const server = await ServerProcess.start({ server: serverWithThrowingRule(), settings: { debounceMs: 0 } });
    try {
      const uri = 'file:///tmp/kzt-boom.yaml';
      server.open(uri, POD('boom'));
      const diagnostics = await server.diagnosticsFor(uri);
      assert.ok(diagnostics.some((d) => d.code === 'privileged-container'), JSON.stringify(diagnostics.map((d) => d.code)));
      assert.ok(!diagnostics.some((d) => d.code === 'test-throwing-rule'));
      const log = await server.until('the failure in the log', () => server.logs.find((l) => /test-throwing-rule/.test(l.message)));
      assert.equal(log.type, 1, 'logged as an error');
      assert.match(log.message, /Internal error: rule test-throwing-rule failed on Pod\/boom in file:\/\/\/tmp\/kzt-boom\.yaml: Error: boom: the test rule failed on purpose/);
      // The other rules still answer hovers and code actions for that file, and other files are unaffected.
      const privileged = diagnostics.find((d) => d.code === 'privileged-container')!;
      const actions = await server.request<Array<{ title: string; edit?: unknown; diagnostics?: Array<{ code?: unknown }> }>>('textDocument/codeAction', { textDocument: { uri }, range: privileged.range, context: { diagnostics: [privileged] } });
      assert.ok(actions.some((a) => a.edit && a.diagnostics?.some((d) => d.code === 'privileged-container') && !/^Suppress/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
      const fine = 'file:///tmp/kzt-fine.yaml';
      server.open(fine, POD('fine'));
      assert.ok((await server.diagnosticsFor(fine)).some((d) => d.code === 'privileged-container'));
      assert.equal(server.logs.filter((l) => /test-throwing-rule/.test(l.message) && /fine/.test(l.message)).length, 0);
      assert.ok(server.alive);
    } finally {
      await server.stop();
    }
  });

  test('kubeZeroTrust.maxFileSizeMB: a clear message instead of work, on open, on edit and on disk', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kzt-size-'));
    const big = `${POD('big')}---\n# ${'x'.repeat(200 * 1024)}\n`;
    writeFileSync(join(folder, 'big-on-disk.yaml'), big);
    writeFileSync(join(folder, 'small-on-disk.yaml'), POD('small'));
    const server = await ServerProcess.start({ workspaceFolder: folder, settings: { debounceMs: 0, maxFileSizeMB: 0.1 } });
    try {
      // On disk: indexing skips the file and says why.
      await server.request('kzt/auditWorkspace', null, 60_000);
      const skipped = await server.until('the skipped file in the log', () => server.logs.find((l) => /big-on-disk\.yaml/.test(l.message)));
      assert.match(skipped.message, /0\.2 MB is over the 0\.1 MB limit/);
      assert.ok(!server.diagnostics.get(`file://${join(folder, 'big-on-disk.yaml')}`)?.length, 'a skipped file has no diagnostics');
      assert.ok(server.diagnostics.get(`file://${join(folder, 'small-on-disk.yaml')}`)?.length, 'the other files are audited');

      // On open: one message, no diagnostics; a small file opened after it is checked.
      const uri = `file://${folder}/opened.yaml`;
      server.open(uri, big);
      const message = await server.until('the size message', () => server.windowMessages.find((m) => /opened\.yaml/.test(m.message)));
      assert.match(message.message, /opened\.yaml is larger than the size limit \(0\.1 MB: kubeZeroTrust\.maxFileSizeMB, or maxFileSizeMB in \.kube-zero-trust\.yaml\) and is not checked/);
      const small = `file://${folder}/small.yaml`;
      server.open(small, POD('small'));
      await server.diagnosticsFor(small);
      assert.ok(!server.diagnostics.get(uri)?.length, 'no diagnostics for the large file');

      // Shrunk under the limit by an edit: checked; grown over it again: its diagnostics go away.
      server.change(uri, 2, [{ text: POD('now-small') }]);
      assert.ok((await server.diagnosticsFor(uri)).some((d) => d.code === 'privileged-container'));
      server.change(uri, 3, [{ text: big }]);
      await server.until('cleared diagnostics', () => server.diagnostics.get(uri)?.length === 0 || undefined);
      assert.equal(server.windowMessages.filter((m) => /opened\.yaml/.test(m.message)).length, 1, 'the message is shown once per file');
      const actions = await server.request<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, context: { diagnostics: [] } });
      assert.deepEqual(actions, [], 'no stale code actions for a file that is not checked');
      assert.ok(server.alive);
    } finally {
      await server.stop();
    }
  });

  test('the default limit is 5 MB', async () => {
    const server = await ServerProcess.start({ settings: { debounceMs: 0 } });
    try {
      const uri = 'file:///tmp/kzt-six-mb.yaml';
      server.open(uri, `${POD('big')}---\n# ${'x'.repeat(6 * 1048576)}\n`);
      const message = await server.until('the size message', () => server.windowMessages.find((m) => /kzt-six-mb\.yaml/.test(m.message)));
      assert.match(message.message, /larger than the size limit \(5 MB: kubeZeroTrust\.maxFileSizeMB/);
      const under = 'file:///tmp/kzt-under.yaml';
      server.open(under, `${POD('under')}---\n# ${'x'.repeat(4 * 1048576)}\n`);
      assert.ok((await server.diagnosticsFor(under, 60_000)).some((d) => d.code === 'privileged-container'), 'a 4 MB file is checked');
    } finally {
      await server.stop();
    }
  });

  test('a lightbulb in a file of 1,000 pods answers at once (whole-file fixes are computed when chosen)', async () => {
    const server = await ServerProcess.start({ settings: { debounceMs: 0 } });
    try {
      const uri = 'file:///tmp/kzt-many-pods.yaml';
      server.open(uri, Array.from({ length: 1_000 }, (_, i) => POD(`p${i}`)).join('---\n'));
      const diagnostics = await server.diagnosticsFor(uri, 60_000);
      const privileged = diagnostics.filter((d) => d.code === 'privileged-container');
      assert.equal(privileged.length, 1_000);
      const started = Date.now();
      const actions = await server.request<Array<{ title: string; edit?: unknown; data?: unknown }>>('textDocument/codeAction', { textDocument: { uri }, range: privileged[500].range, context: { diagnostics: [privileged[500]] } });
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 3_000, `the lightbulb took ${elapsed} ms (it was 15 s for 2,000 pods)`);
      const fixAll = actions.find((a) => !a.edit && a.data !== undefined);
      assert.ok(fixAll, JSON.stringify(actions.map((a) => a.title)));
      const resolved = await server.request<{ edit?: unknown }>('codeAction/resolve', fixAll, 60_000);
      assert.ok(resolved.edit, 'the chosen whole-file action gets its edit');
    } finally {
      await server.stop();
    }
  });
});
