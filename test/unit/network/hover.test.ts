// Hovers on NetworkPolicies (what they select and allow) and on workload names (effective reachability).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nodeAtOffset } from '../../../server/src/model/node-path';
import { networkHover } from '../../../server/src/hovers/network';
import { workspaceOf } from './helpers';

const FILES = {
  'file:///web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
`,
  'file:///lb.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: lb, namespace: shop}
spec:
  template:
    metadata: {labels: {app: lb}}
    spec:
      containers: [{name: lb, image: envoy}]
`,
  'file:///policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
    - from: [{podSelector: {matchLabels: {app: lb}}}]
      ports: [{port: http}]
    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
      ports: [{port: 53, protocol: UDP}]
`,
};

/** The hover at the first occurrence of `needle` in `uri`. */
function hoverAt(files: Record<string, string>, uri: string, needle: string): string | undefined {
  const workspace = workspaceOf(files);
  const file = workspace.getFile(uri)!;
  const offset = file.parsed.text.indexOf(needle);
  const resource = file.resources.find((r) => offset >= r.parsed.base && offset <= r.parsed.base + r.parsed.source.length)!;
  const at = nodeAtOffset(resource.parsed.doc.contents, offset - resource.parsed.base)!;
  return networkHover({ resource, at, workspace });
}

describe('network hovers', () => {
  test('on a policy name: what it selects and, per direction, what it allows', () => {
    assert.equal(
      hoverAt(FILES, 'file:///policy.yaml', 'web\n  namespace'),
      [
        '**NetworkPolicy `web`** selects Deployment/web (pods app=web).',
        '',
        '- **Ingress**: denies every connection except:',
        '  - from pods app=lb of namespace shop (Deployment/lb) on http/TCP (8080)',
        '  - from addresses 10.0.0.0/8 except 10.1.0.0/16 on any port',
        '- **Egress**: denies every connection except:',
        '  - to every pod of namespace kube-system on 53/UDP',
      ].join('\n'),
    );
  });

  test('on one rule: that rule in plain words', () => {
    assert.equal(hoverAt(FILES, 'file:///policy.yaml', 'ipBlock'), 'This ingress rule allows connections from addresses 10.0.0.0/8 except 10.1.0.0/16 on any port.');
  });

  test('ignored rules and directions are said to be ignored', () => {
    const files = { ...FILES, 'file:///policy.yaml': FILES['file:///policy.yaml'].replace('spec:\n', 'spec:\n  policyTypes: [Ingress]\n') };
    assert.match(hoverAt(files, 'file:///policy.yaml', 'kind')!, /- \*\*Egress\*\*: not affected \(`policyTypes` does not include Egress; its egress rules are ignored\)\./);
    assert.match(hoverAt(files, 'file:///policy.yaml', 'namespaceSelector')!, /It is ignored: `policyTypes` does not include Egress\./);
  });

  test('on a workload name: effective reachability per direction', () => {
    assert.equal(
      hoverAt(FILES, 'file:///web.yaml', 'web\n  namespace'),
      [
        '**Reachability of Deployment/web** (namespace shop, pods app=web)',
        '',
        '- **Ingress**: isolated by NetworkPolicy `web`. Allowed:',
        '  - from pods app=lb of namespace shop (Deployment/lb) on http/TCP (8080) (`web`)',
        '  - from addresses 10.0.0.0/8 except 10.1.0.0/16 on any port (`web`)',
        '- **Egress**: isolated by NetworkPolicy `web`. Allowed:',
        '  - to every pod of namespace kube-system on 53/UDP (`web`)',
      ].join('\n'),
    );
    assert.equal(
      hoverAt(FILES, 'file:///lb.yaml', 'lb, namespace'),
      [
        '**Reachability of Deployment/lb** (namespace shop, pods app=lb)',
        '',
        '- **Ingress**: unrestricted, no NetworkPolicy selects these pods for ingress: any pod of the cluster may connect.',
        '- **Egress**: unrestricted, no NetworkPolicy selects these pods for egress: they may connect anywhere.',
      ].join('\n'),
    );
  });

  test('silent elsewhere', () => {
    assert.equal(hoverAt(FILES, 'file:///web.yaml', 'nginx'), undefined);
    assert.equal(hoverAt(FILES, 'file:///policy.yaml', 'shop'), undefined);
  });
});
