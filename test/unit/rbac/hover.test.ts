// Identity hovers: effective permissions of a ServiceAccount (from its definition or a
// workload's serviceAccountName), and who holds a Role or ClusterRole.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rbacHover } from '../../../server/src/hovers/rbac';
import { nodeAtOffset } from '../../../server/src/model/node-path';
import { Workspace } from '../../../server/src/workspace/workspace';

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: api-rw, namespace: shop}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [get, list]}
  - {apiGroups: [""], resources: [configmaps], resourceNames: [api-config], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-rw, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api-rw}
subjects: [{kind: ServiceAccount, name: api}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:serviceaccounts:shop"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: metrics-reader
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules: [{apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get]}]
`;

const APP = `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: api:1}]
`;

/** The hover at the first occurrence of `needle` (plus `shift` characters) in `uri`. */
function hoverAt(ws: Workspace, uri: string, needle: string, shift = 0): string | undefined {
  const file = ws.getFile(uri)!;
  const offset = file.parsed.text.indexOf(needle) + shift;
  const resource = file.resources.find((r) => offset >= r.parsed.base && offset <= r.parsed.base + r.parsed.source.length)!;
  const at = nodeAtOffset(resource.parsed.doc.contents, offset - resource.parsed.base)!;
  return rbacHover({ resource, at, workspace: ws });
}

describe('rbac hovers', () => {
  const ws = new Workspace();
  ws.setFile('file:///rbac.yaml', RBAC);
  ws.setFile('file:///app.yaml', APP);

  test('on a workload\'s serviceAccountName: the permissions table, with where and the binding of each row', () => {
    const text = hoverAt(ws, 'file:///app.yaml', 'serviceAccountName: api', 21)!;
    assert.match(text, /^\*\*ServiceAccount shop\/api\*\* \(token not mounted\): effective permissions/);
    assert.match(text, /\| Verbs \| Resources \| Where \| Granted by \|/);
    assert.match(text, /\| `get, list` \| `secrets` \(`core`\) \| namespace shop \| RoleBinding api-rw → Role api-rw \|/);
    assert.match(text, /\| `get` \| `configmaps` \(`core`\) named `api-config` \| namespace shop \|/);
    assert.match(text, /ClusterRoleBinding metrics \(group system:serviceaccounts:shop\) → ClusterRole view \(built-in\)/);
    assert.match(text, /`pods` \(`metrics.k8s.io`\) \(from ClusterRole metrics-reader\) \| cluster-wide/, 'aggregated into view from the workspace');
  });

  test('on the key serviceAccountName too, and on the ServiceAccount\'s own name', () => {
    assert.match(hoverAt(ws, 'file:///app.yaml', 'serviceAccountName: api', 2)!, /ServiceAccount shop\/api/);
    assert.match(hoverAt(ws, 'file:///app.yaml', 'name: api, namespace: shop}', 6)!, /^\*\*ServiceAccount shop\/api\*\*: effective permissions/);
  });

  test('an account nothing grants', () => {
    const alone = new Workspace();
    alone.setFile('file:///sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: lonely}\n');
    assert.equal(hoverAt(alone, 'file:///sa.yaml', 'lonely'), '**ServiceAccount default/lonely**\n\nNo binding in the workspace grants this account anything.');
  });

  test('on a Role: its subjects and bindings', () => {
    const text = hoverAt(ws, 'file:///rbac.yaml', 'api-rw, namespace')!;
    assert.match(text, /^\*\*Role api-rw\*\*/);
    assert.match(text, /\| ServiceAccount shop\/api \| RoleBinding api-rw \| namespace shop \|/);
  });

  test('on a ClusterRole aggregated into a built-in role: held through the aggregate\'s bindings', () => {
    const text = hoverAt(ws, 'file:///rbac.yaml', 'metrics-reader', 2)!;
    assert.match(text, /\| Group system:serviceaccounts:shop \| ClusterRoleBinding metrics \(through aggregated ClusterRole view\) \| cluster-wide \|/);
  });

  test('silent elsewhere: rules, other fields, other kinds', () => {
    assert.equal(hoverAt(ws, 'file:///rbac.yaml', 'secrets]'), undefined);
    assert.equal(hoverAt(ws, 'file:///app.yaml', 'image: api'), undefined);
    assert.equal(hoverAt(ws, 'file:///rbac.yaml', 'name: metrics}'), undefined, 'a binding\'s name');
  });
});
