// The posture report's "who may talk to whom" matrix follows NetworkPolicy semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkIndex, reachabilityGraph } from '../../../server/src/analysis/network';
import { Workspace } from '../../../server/src/workspace/workspace';

const deploy = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: x}]
`;

function graph(...extra: string[]) {
  const workspace = new Workspace();
  workspace.setFile('file:///a.yaml', deploy('api'));
  workspace.setFile('file:///b.yaml', deploy('db'));
  extra.forEach((text, i) => workspace.setFile(`file:///p${i}.yaml`, text));
  return reachabilityGraph(networkIndex(workspace));
}

test('without policies every workload may reach every other', () => {
  const g = graph();
  assert.deepEqual(g.workloads.map((w) => w.label), ['Deployment/api', 'Deployment/db']);
  assert.deepEqual(g.reach, [['allowed', 'allowed'], ['allowed', 'allowed']]);
});

test('default-deny ingress plus one allow rule opens exactly api → db', () => {
  const g = graph(
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-from-api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: api}}}]\n',
  );
  assert.deepEqual(g.reach, [['denied', 'allowed'], ['denied', 'denied']]);
});

test('egress isolation of the source also blocks the connection', () => {
  const g = graph('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-no-egress, namespace: shop}\nspec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Egress]}\n');
  assert.deepEqual(g.reach[0], ['denied', 'denied']);
  assert.deepEqual(g.reach[1], ['allowed', 'allowed']);
});

test('each connection says on which ports and what decides; open workloads are marked', () => {
  const g = graph(
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-from-api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: api}}}]\n      ports: [{port: 5432}]\n',
  );
  assert.deepEqual(g.workloads.map((w) => [w.label, w.file, w.openIngress, w.openEgress]), [
    ['Deployment/api', 'file:///a.yaml', false, true],
    ['Deployment/db', 'file:///b.yaml', false, true],
  ]);
  assert.deepEqual(g.why, {
    '0>1': { ports: '5432/TCP', decidedBy: ['Deployment/api (egress): no NetworkPolicy isolates it', 'Deployment/db (ingress): NetworkPolicy shop/db-from-api'] },
  });
});

test('the Markdown report summarises who may talk to whom', async () => {
  const { formatMarkdown } = await import('../../../server/src/report/format-markdown');
  const reachability = graph('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}\n');
  const markdown = formatMarkdown({ findings: [], suppressed: [], paths: new Map(), rules: [], filesRead: 3, skipped: [], version: '0', reachability });
  assert.ok(
    markdown.includes(
      '## Network reachability\n\n2 workloads · 2 of 4 pairs may connect · 1 open to every source · 2 may connect anywhere\n\n| Workload | Namespace | Reachable from | Reaches |\n| --- | --- | --- | --- |\n| Deployment/api | shop | **any source** | **anywhere** |\n| Deployment/db | shop | 0 workloads | **anywhere** |\n',
    ),
    markdown,
  );
});
