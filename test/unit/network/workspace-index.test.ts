// Cross-file analysis at engine level: several files in one Workspace, edits and deletions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { networkIndex } from '../../../server/src/analysis/network/network-index';
import { lintAll, summary, workspaceOf } from './helpers';

const deployment = (name: string, namespace?: string, labels = `{app: ${name}}`) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  template:
    metadata:
      labels: ${labels}
    spec:
      containers: [{name: ${name}, image: example/${name}:1}]
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: lb}}}]}]
  egress: [{to: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: 8080}]}]
`;

/**
 * The workloads left open, as the findings say it: workload-not-isolated where the namespace has
 * policies, else the namespace's one finding (namespace-without-default-deny) relating each of them.
 */
const notIsolated = (workspace: ReturnType<typeof workspaceOf>) =>
  lintAll(workspace).flatMap((f) => {
    if (f.ruleId === 'workload-not-isolated') return [`${f.resource?.name}: ${f.message.split('. ')[0]}`];
    if (f.ruleId === 'namespace-without-default-deny') return (f.related ?? []).map((r) => `namespace finding: ${r.message}`);
    return [];
  });

describe('network analysis across files', () => {
  test('a policy in one file isolates a Deployment in another; deleting the policy file brings it back as open', () => {
    const workspace = workspaceOf({ 'file:///app/web.yaml': deployment('web', 'shop'), 'file:///app/policies/web.yaml': POLICY });
    assert.deepEqual(notIsolated(workspace), []);
    workspace.removeFile('file:///app/policies/web.yaml');
    // Its namespace has no policy left: the namespace's one finding relates it.
    assert.deepEqual(notIsolated(workspace), ['namespace finding: Deployment/web is open for ingress and egress.']);
  });

  test('editing the policy re-evaluates the other file (the index is rebuilt per workspace state)', () => {
    const workspace = workspaceOf({ 'file:///web.yaml': deployment('web', 'shop'), 'file:///policy.yaml': POLICY });
    const before = networkIndex(workspace);
    assert.equal(networkIndex(workspace), before, 'one index per workspace state');
    workspace.setFile('file:///policy.yaml', POLICY.replace('podSelector: {matchLabels: {app: web}}', 'podSelector: {matchLabels: {app: website}}'));
    assert.notEqual(networkIndex(workspace), before);
    // The namespace has a policy (for other pods): the workload's own finding, and the namespace's relates it too.
    assert.deepEqual(notIsolated(workspace), ['web: Deployment/web is not isolated for ingress or egress', 'namespace finding: Deployment/web is open for ingress and egress.']);
  });

  test('policies are additive: one per direction isolates both', () => {
    const workspace = workspaceOf({
      'file:///web.yaml': deployment('web', 'shop'),
      'file:///in.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: in, namespace: shop}\nspec:\n  podSelector: {}\n',
      'file:///out.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n',
    });
    assert.deepEqual(notIsolated(workspace), []);
    workspace.removeFile('file:///out.yaml');
    assert.deepEqual(notIsolated(workspace), ['web: Deployment/web is not isolated for egress', 'namespace finding: Deployment/web is open for egress.']);
  });

  test('namespace: metadata.namespace, else the configured default namespace', () => {
    const workspace = workspaceOf({ 'file:///web.yaml': deployment('web', 'prod'), 'file:///policy.yaml': POLICY.replace('namespace: shop', 'labels: {}') });
    assert.deepEqual(notIsolated(workspace), ['namespace finding: Deployment/web is open for ingress and egress.']);
    workspace.setDefaultNamespace('prod');
    assert.deepEqual(notIsolated(workspace), []);
  });

  test('namespaceSelector sees Namespace manifest labels and the implicit kubernetes.io/metadata.name', () => {
    const workspace = workspaceOf({
      'file:///ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: monitoring, labels: {team: observability}}\n',
      'file:///prometheus.yaml': deployment('prometheus', 'monitoring', '{app: prometheus}'),
      'file:///agent.yaml': deployment('agent', 'other', '{app: prometheus}'),
      'file:///policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: observability}}, podSelector: {matchLabels: {app: prometheus}}}]
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}]
    - from: [{podSelector: {matchLabels: {app: prometheus}}}]
`,
    });
    const index = networkIndex(workspace);
    const policy = index.policies[0];
    const [prometheus, agent] = ['prometheus', 'agent'].map((n) => index.workloads.find((w) => w.resource.name === n)!);
    const peer = (rule: number) => (policy.rules.ingress[rule].peers as Exclude<(typeof policy.rules.ingress)[0]['peers'], 'any'>)[0];
    assert.deepEqual([index.peerSelects(policy, peer(0), prometheus), index.peerSelects(policy, peer(0), agent)], [true, false]);
    assert.deepEqual([index.peerSelects(policy, peer(1), prometheus), index.peerSelects(policy, peer(1), agent)], [false, true]);
    assert.deepEqual([index.peerSelects(policy, peer(2), prometheus), index.peerSelects(policy, peer(2), agent)], [false, false], 'podSelector alone: the policy namespace only');
    assert.deepEqual(index.namespaceLabels('monitoring'), { team: 'observability', 'kubernetes.io/metadata.name': 'monitoring' });
    assert.deepEqual(index.namespaceLabels('other'), { 'kubernetes.io/metadata.name': 'other' });
  });

  test('namespace-without-default-deny is reported once per namespace: on its Namespace manifest, else its first workload', () => {
    const files = {
      'file:///b.yaml': `${deployment('b1', 'shop')}---\n${deployment('b2', 'shop')}`,
      'file:///a.yaml': deployment('a', 'shop'),
      'file:///c.yaml': deployment('c', 'other'),
    };
    const workspace = workspaceOf(files);
    const namespaces = () => summary(lintAll(workspace).filter((f) => f.ruleId === 'namespace-without-default-deny'));
    // At the first workload's namespace (its name is where workload-not-isolated would point).
    assert.deepEqual(namespaces(), ['namespace-without-default-deny a.yaml:4 Deployment/a', 'namespace-without-default-deny c.yaml:4 Deployment/c']);
    workspace.setFile('file:///z-namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    assert.deepEqual(namespaces(), ['namespace-without-default-deny c.yaml:4 Deployment/c', 'namespace-without-default-deny z-namespace.yaml:3 Namespace/shop']);
  });

  test('Cilium policies: namespaced scope, k8s: prefixes, enableDefaultDeny', () => {
    const cnp = (namespace: string, extra = '') => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web, namespace: ${namespace}}
spec:
  endpointSelector: {matchLabels: {"k8s:app": web}}
  ingress: [{fromEndpoints: [{matchLabels: {app: lb}}]}]
  egress: [{toEndpoints: [{matchLabels: {app: api}}]}]
${extra}`;
    const workspace = workspaceOf({ 'file:///web.yaml': deployment('web', 'shop'), 'file:///cnp.yaml': cnp('other') });
    assert.deepEqual(notIsolated(workspace), ['namespace finding: Deployment/web is open for ingress and egress.'], 'a CiliumNetworkPolicy selects its own namespace only');
    workspace.setFile('file:///cnp.yaml', cnp('shop'));
    assert.deepEqual(notIsolated(workspace), []);
    workspace.setFile('file:///cnp.yaml', cnp('shop', '  enableDefaultDeny: {egress: false}\n'));
    assert.deepEqual(notIsolated(workspace), ['web: Deployment/web is not isolated for egress', 'namespace finding: Deployment/web is open for egress.']);
  });

  test('a clusterwide Cilium selector on namespace labels is a default deny for those namespaces', () => {
    const workspace = workspaceOf({
      'file:///ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {zone: dmz}}\n',
      'file:///web.yaml': deployment('web', 'shop'),
      'file:///ccnp.yaml': `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: dmz-deny}
spec:
  endpointSelector: {matchLabels: {io.cilium.k8s.namespace.labels.zone: dmz}}
  ingress: [{}]
  egress: [{}]
`,
    });
    assert.deepEqual(lintAll(workspace).map((f) => f.ruleId), []);
  });

  test('host-network workloads are neither reported nor counted', () => {
    const workspace = workspaceOf({
      'file:///ds.yaml': deployment('exporter', 'shop').replace('    spec:\n', '    spec:\n      hostNetwork: true\n'),
    });
    assert.deepEqual(lintAll(workspace).map((f) => f.ruleId), []);
  });
});
