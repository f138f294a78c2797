// The identity hovers over real LSP stdio (bundled server): a workload file and an RBAC file
// open side by side, hover on serviceAccountName and on a Role's name.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspHarness } from '../../lsp/lsp-harness';

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: api-rw, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-rw, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api-rw}
subjects: [{kind: ServiceAccount, name: api}]
`;

const APP = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  serviceAccountName: api
  containers: [{name: api, image: api:1}]
`;

describe('identity hovers over LSP', () => {
  let lsp: LspHarness;
  const folder = mkdtempSync(join(tmpdir(), 'kzt-rbac-'));
  before(async () => {
    lsp = await LspHarness.start(folder);
  });
  after(() => lsp.stop());

  const hover = async (uri: string, line: number, character: number) =>
    ((await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } }))?.contents as MarkupContent | undefined)?.value ?? '';

  test('serviceAccountName shows what the account can do, across files; a Role shows who holds it', async () => {
    const rbac = `file://${folder}/rbac.yaml`;
    const app = `file://${folder}/app.yaml`;
    lsp.open(rbac, RBAC);
    lsp.open(app, APP);
    // Both files linted and published: the server is settled before the hovers and the shutdown.
    await Promise.all([lsp.waitForDiagnostics(rbac), lsp.waitForDiagnostics(app)]);
    const onAccount = await hover(app, 4, 24);
    assert.match(onAccount, /\*\*ServiceAccount shop\/api\*\* \(token mounted into these pods\): effective permissions/);
    assert.match(onAccount, /\| `list` \| `secrets` \(`core`\) \| namespace shop \| RoleBinding api-rw → Role api-rw \|/);
    const onRole = await hover(rbac, 2, 18);
    assert.match(onRole, /\| ServiceAccount shop\/api \| RoleBinding api-rw \| namespace shop \|/);
  });
});
