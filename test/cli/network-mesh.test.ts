// The `kzt` bin on network and service-mesh policies as they are published (Cilium, Linkerd,
// NetworkPolicy recipes): each finding once, at its node, with a message that fits a Problems row.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  range: { start: { line: number; character: number } };
  message: string;
}

/** `file line:col severity rule-id first sentence` of every finding of the rules, from `kzt audit --format json` on a folder of these files. */
function audit(files: Record<string, string>, rules: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-network-mesh-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const run = spawnSync(process.execPath, [CLI, 'audit', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout).findings as JsonFinding[])
    .filter((f) => rules.includes(f.ruleId))
    .map((f) => `${f.file} ${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.ruleId} ${f.message.split(/\.(?:\s|$)/)[0]}`);
}

describe('kzt audit: network and mesh policies as published', () => {
  test('a default deny with no DNS allowance reaching kube-dns: once per namespace, NetworkPolicy and Cilium alike', () => {
    const found = audit(
      {
        'shop.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to: [{podSelector: {matchLabels: {k8s-app: kube-dns}}}]
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: shop-lockdown, namespace: shop}
spec:
  endpointSelector: {}
  egress: [{toEntities: [world], toPorts: [{ports: [{port: "443"}]}]}]
`,
        'billing.yaml': `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lockdown, namespace: billing}
spec:
  endpointSelector: {}
  egress:
    - toEndpoints: [{matchLabels: {k8s:k8s-app: kube-dns}}]
      toPorts: [{ports: [{port: "53", protocol: ANY}]}]
`,
        'payments.yaml': `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lockdown, namespace: payments}
spec:
  endpointSelector: {}
  egress:
    - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns}}]
      toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*"}]}}]
`,
      },
      ['default-deny-blocks-dns'],
    );
    assert.deepEqual(found, [
      'billing.yaml 5:2 warning default-deny-blocks-dns CiliumNetworkPolicy "lockdown" blocks DNS for every pod of namespace "billing"',
      'shop.yaml 5:25 warning default-deny-blocks-dns NetworkPolicy "default-deny" blocks DNS for every pod of namespace "shop"',
    ]);
  });

  test('Cilium rules open to world, all or every address: one finding at each entity or CIDR, deny rules not reported', () => {
    const found = audit(
      {
        'frontend.yaml': `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: frontend, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: frontend}}
  ingress:
    - fromEntities: [world]
      toPorts: [{ports: [{port: "443", protocol: TCP}]}]
  egress:
    - toCIDR: ["0.0.0.0/0"]
  egressDeny:
    - toEntities: [all]
`,
      },
      ['networkpolicy-allows-any'],
    );
    assert.deepEqual(found, [
      'frontend.yaml 6:21 warning networkpolicy-allows-any Ingress rule 1 admits every address outside the cluster on 443/TCP (fromEntities world)',
      'frontend.yaml 9:15 warning networkpolicy-allows-any Egress rule 1 admits every address outside the cluster on any port (toCIDR 0.0.0.0/0)',
    ]);
  });

  test('Linkerd: the mesh-wide default in linkerd-config, unauthenticated authorizations across files, and the control plane explained (information)', () => {
    const found = audit(
      {
        'linkerd-install.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: |
    proxy:
      defaultInboundPolicy: all-unauthenticated
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-destination, namespace: linkerd}
spec:
  template:
    metadata:
      annotations: {config.linkerd.io/default-inbound-policy: all-unauthenticated}
      labels: {linkerd.io/control-plane-component: destination}
    spec:
      containers: [{name: destination, image: cr.l5d.io/linkerd/controller:edge-24.11.8}]
`,
        'shop-authz.yaml': `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: legacy, namespace: shop}
spec:
  server: {name: api}
  client: {unauthenticated: true}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: admin, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: admin}
  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: NetworkAuthentication, name: anywhere}]
`,
        'shop-networks.yaml': `apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: anywhere, namespace: shop}
spec:
  networks: [{cidr: "::/0"}]
`,
      },
      ['mtls-not-strict'],
    );
    assert.deepEqual(found, [
      'linkerd-install.yaml 6:28 warning mtls-not-strict Mesh-wide default all-unauthenticated admits unauthenticated clients from anywhere',
      'linkerd-install.yaml 14:62 info mtls-not-strict Deployment/linkerd-destination must admit unauthenticated clients',
      'shop-authz.yaml 5:28 warning mtls-not-strict ServerAuthorization "legacy" admits unauthenticated clients from any address',
      'shop-authz.yaml 12:93 warning mtls-not-strict AuthorizationPolicy "admin" admits unauthenticated clients from any address',
    ]);
  });
});
