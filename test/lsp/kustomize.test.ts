// Kustomize through the real server: a base file opened in the editor is judged as each overlay
// builds it (the overlays read from files never opened), and an edit of an overlay's
// kustomization re-checks the open base.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspHarness } from './lsp-harness';

describe('Kustomize over stdio', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kzt-kustomize-'));
  const base = `file://${folder}/base/deployment.yaml`;
  const devKustomization = `file://${folder}/overlays/dev/kustomization.yaml`;
  let lsp: LspHarness;
  before(async () => {
    cpSync(join(__dirname, '..', '..', 'examples', 'kustomize'), folder, { recursive: true });
    lsp = await LspHarness.start(folder);
  });
  after(() => lsp.stop());

  test("the dev overlay's binding is named on the base Deployment it reaches", async () => {
    lsp.open(base, readFileSync(join(folder, 'base', 'deployment.yaml'), 'utf8'));
    const diagnostics = await lsp.diagnosticsFor(base, 1);
    const dev = diagnostics.find((d) => d.code === 'service-account-token-automount' && /^In overlays\/dev:/.test(String(d.message)));
    assert.ok(dev, JSON.stringify(diagnostics.map((d) => d.message)));
    assert.equal(dev.range.start.line, 14);
    assert.match(String(dev.message), /RoleBinding payments-api-debug to ClusterRole edit/);
  });

  test("editing an overlay's kustomization re-checks the open base", async () => {
    const text = readFileSync(join(folder, 'overlays', 'dev', 'kustomization.yaml'), 'utf8');
    lsp.open(devKustomization, text);
    const published = lsp.publicationCount(base);
    // Without the debug binding, dev grants the token nothing either: one finding, in both overlays alike.
    lsp.change(devKustomization, 2, text.replace('  - debug-access.yaml\n', ''));
    const after = await lsp.diagnosticsFor(base, 1, { after: published, accept: (d) => !d.some((x) => /^In overlays\/dev:/.test(String(x.message))) });
    const token = after.filter((d) => d.code === 'service-account-token-automount');
    assert.equal(token.length, 1);
    assert.doesNotMatch(String(token[0].message), /^In /);
  });
});
