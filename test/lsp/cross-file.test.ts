// Cross-file analysis through the real server: a NetworkPolicy in one file isolates a
// Deployment in another; deleting the policy file leaves it open (related information); RBAC hovers
// resolve bindings from files that were never opened.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspHarness } from './lsp-harness';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: "registry.example.com/api@sha256:${'a'.repeat(64)}"}]
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
`;

const RBAC = `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: api-read, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-read, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api-read}
subjects: [{kind: ServiceAccount, name: api, namespace: shop}]
`;

describe('cross-file analysis over stdio', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kzt-cross-'));
  const deployment = `file://${folder}/deployment.yaml`;
  let lsp: LspHarness;
  before(async () => {
    writeFileSync(join(folder, 'deployment.yaml'), DEPLOYMENT);
    writeFileSync(join(folder, 'policy.yaml'), POLICY);
    writeFileSync(join(folder, 'rbac.yaml'), RBAC);
    lsp = await LspHarness.start(folder);
  });
  after(() => lsp.stop());

  test('a policy in another file isolates the workload; deleting that file leaves it open, related to its namespace\'s finding', async () => {
    // The namespace (no Namespace manifest: reported on its first workload) has no default deny either way.
    const related = (d: Array<{ code?: unknown; relatedInformation?: Array<{ message: string }> }>) => d.find((x) => x.code === 'namespace-without-default-deny')?.relatedInformation ?? [];
    lsp.open(deployment, DEPLOYMENT);
    const isolated = await lsp.diagnosticsFor(deployment, 1);
    assert.ok(isolated.some((d) => d.code === 'namespace-without-default-deny') && !isolated.some((d) => d.code === 'workload-not-isolated'), JSON.stringify(isolated.map((d) => d.code)));
    assert.deepEqual(related(isolated), []);
    rmSync(join(folder, 'policy.yaml'));
    let published = lsp.publicationCount(deployment);
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${folder}/policy.yaml`, type: 3 }] });
    // The open document is re-checked (same version) once the deletion reached the workspace.
    const exposed = await lsp.diagnosticsFor(deployment, 1, { after: published, accept: (d) => related(d).length > 0 });
    assert.deepEqual(related(exposed).map((r) => r.message), ['Deployment/api is open for ingress and egress.']);
    // A namespace without any policy is one finding, not one per workload.
    assert.ok(!exposed.some((d) => d.code === 'workload-not-isolated'));
    writeFileSync(join(folder, 'policy.yaml'), POLICY);
    published = lsp.publicationCount(deployment);
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${folder}/policy.yaml`, type: 1 }] });
    await lsp.diagnosticsFor(deployment, 1, { after: published, accept: (d) => d.length > 0 && related(d).length === 0 });
  });

  test('the token finding names the chain from bindings in an unopened file, and the hover shows the permissions', async () => {
    const diagnostics = await lsp.diagnosticsFor(deployment, 1);
    const automount = diagnostics.find((d) => d.code === 'service-account-token-automount');
    assert.ok(automount, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.match(String(automount.message), /RoleBinding api-read/);
    assert.match(String(automount.message), /list secrets/);
    const hover = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri: deployment }, position: { line: 8, character: 28 } });
    assert.match(JSON.stringify(hover?.contents), /secrets/);
  });
});
