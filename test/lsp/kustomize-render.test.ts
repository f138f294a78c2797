// Kustomizations rendered by the real `kubectl kustomize` in the language server over stdio:
// on open and save in a trusted workspace, never in an untrusted one.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspHarness } from './lsp-harness';

const FIXTURE = join(__dirname, '..', 'fixtures', 'kustomize');

function workspace(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kzt-lsp-kustomize-')));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const uriOf = (dir: string, path: string) => `file://${dir}/${path}`;
const privileged = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'privileged-container').map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.message).slice(0, 40)}`);

describe('language server: Kustomize rendering', () => {
  test('trusted: rendered on open (the hardening overlay silences the base), failures on the kustomization, again on save', async () => {
    const dir = workspace();
    const server = await LspHarness.start(dir, { kustomize: { command: 'kubectl kustomize' } }, { workspaceTrusted: true });
    try {
      const base = uriOf(dir, 'base/workload.yaml');
      server.open(base, readFileSync(join(dir, 'base/workload.yaml'), 'utf8'));
      const rendered = await server.waitForDiagnostics(base, (d) => privileged(d).some((p) => p.includes('In overlays/prod')), 30000);
      assert.deepEqual(privileged(rendered), ['28:24 In overlays/prod: Container "app" is pri']);

      const broken = uriOf(dir, 'broken/kustomization.yaml');
      server.open(broken, readFileSync(join(dir, 'broken/kustomization.yaml'), 'utf8'));
      const failed = await server.waitForDiagnostics(broken, (d) => d.some((x) => x.code === 'kustomize-render-failed'), 30000);
      assert.equal(failed.filter((d) => d.code === 'kustomize-render-failed').length, 1);
      assert.match(String(failed.find((d) => d.code === 'kustomize-render-failed')!.message), /^kustomize could not render broken: .*missing\.yaml/);

      // The base hardened and saved: rendered again, nothing privileged left anywhere.
      const hardened = readFileSync(join(dir, 'base/workload.yaml'), 'utf8').replace('privileged: true', 'privileged: false');
      writeFileSync(join(dir, 'base/workload.yaml'), hardened);
      server.change(base, 2, hardened);
      server.notify('textDocument/didSave', { textDocument: { uri: base } });
      // Edited, the file shows its findings as written (privilege escalation in both overlays); saved, as rendered again (only prod lacks the patch).
      const escalation = (d: Diagnostic[]) => d.filter((x) => x.code === 'privilege-escalation-allowed').map((x) => String(x.message).slice(0, 40));
      const saved = await server.waitForDiagnostics(base, (d) => privileged(d).length === 0 && escalation(d).every((m) => m.startsWith('In ')), 30000);
      assert.deepEqual(escalation(saved), ['In overlays/prod: Container "app" may es']);
    } finally {
      await server.stop();
    }
  });

  test('untrusted: kustomize never runs, the files are checked as written; trusting the workspace renders', async () => {
    const dir = workspace();
    const marker = join(dir, 'kustomize-ran');
    const fake = join(realpathSync(mkdtempSync(join(tmpdir(), 'kzt-fake-kustomize-'))), 'kustomize');
    writeFileSync(fake, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    chmodSync(fake, 0o755);
    const server = await LspHarness.start(dir, { kustomize: { command: fake } });
    try {
      const base = uriOf(dir, 'base/workload.yaml');
      server.open(base, readFileSync(join(dir, 'base/workload.yaml'), 'utf8'));
      const diagnostics = await server.diagnosticsFor(base, 1);
      assert.deepEqual(privileged(diagnostics), ['28:24 Container "app" is privileged, which amo']);
      server.notify('textDocument/didSave', { textDocument: { uri: base } });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(existsSync(marker), false, 'nothing ran in the untrusted workspace');

      server.notify('kzt/workspaceTrusted', {});
      const kustomization = uriOf(dir, 'overlays/prod/kustomization.yaml');
      server.open(kustomization, readFileSync(join(dir, 'overlays/prod/kustomization.yaml'), 'utf8'));
      await server.waitForDiagnostics(kustomization, (d) => d.some((x) => x.code === 'kustomize-render-failed'), 30000);
      assert.equal(existsSync(marker), true);
    } finally {
      await server.stop();
    }
  });
});
