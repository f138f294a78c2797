// The chain workload → ServiceAccount → bindings → roles (aggregation resolved) across files,
// as the RBAC authorizer resolves subjects and roleRefs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessSummary, grantRuleSet } from '../../../server/src/analysis/rbac/describe';
import { rbacGraph, serviceAccountIdentity, type Grant } from '../../../server/src/analysis/rbac/graph';
import { allowsResource } from '../../../server/src/analysis/rbac/policy-rule';
import { serviceAccountUse } from '../../../server/src/analysis/rbac/service-accounts';
import { Workspace } from '../../../server/src/workspace/workspace';

function workspace(files: Record<string, string>, defaultNamespace = 'default'): Workspace {
  const ws = new Workspace(defaultNamespace);
  for (const [name, text] of Object.entries(files)) ws.setFile(`file:///${name}`, text);
  return ws;
}

const grantsOf = (ws: Workspace, namespace: string, name: string): Grant[] => rbacGraph(ws).grantsTo(serviceAccountIdentity(namespace, name));
const bindingNames = (grants: Grant[]) => grants.map((g) => g.binding.name).sort();
const can = (grants: Grant[], verb: string, group: string, resource: string, subresource?: string) =>
  grants.some((g) => g.rules.some((r) => allowsResource(r.rule, { verb, group, resource, subresource })));

const BINDING = (kind: string, name: string, roleKind: string, role: string, subjects: string, namespace?: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${role}}
subjects: ${subjects}
`;

describe('subjects', () => {
  test('a ServiceAccount subject of a RoleBinding defaults to the binding\'s namespace; of a ClusterRoleBinding it needs one', () => {
    const ws = workspace({
      'rb.yaml': BINDING('RoleBinding', 'rb', 'ClusterRole', 'view', '[{kind: ServiceAccount, name: api}]', 'shop'),
      'crb-no-ns.yaml': BINDING('ClusterRoleBinding', 'crb-no-ns', 'ClusterRole', 'view', '[{kind: ServiceAccount, name: api}]'),
      'crb.yaml': BINDING('ClusterRoleBinding', 'crb', 'ClusterRole', 'view', '[{kind: ServiceAccount, name: api, namespace: shop}]'),
      'other.yaml': BINDING('RoleBinding', 'other', 'ClusterRole', 'view', '[{kind: ServiceAccount, name: api}]', 'elsewhere'),
    });
    assert.deepEqual(bindingNames(grantsOf(ws, 'shop', 'api')), ['crb', 'rb']);
  });

  test('groups of every ServiceAccount, of its namespace, of all authenticated users; and its user name', () => {
    const ws = workspace({
      'a.yaml': BINDING('ClusterRoleBinding', 'all-sa', 'ClusterRole', 'view', '[{kind: Group, name: system:serviceaccounts}]'),
      'b.yaml': BINDING('RoleBinding', 'ns-sa', 'ClusterRole', 'view', '[{kind: Group, name: "system:serviceaccounts:shop"}]', 'shop'),
      'c.yaml': BINDING('ClusterRoleBinding', 'authn', 'ClusterRole', 'view', '[{kind: Group, name: system:authenticated}]'),
      'd.yaml': BINDING('ClusterRoleBinding', 'user', 'ClusterRole', 'view', '[{kind: User, name: "system:serviceaccount:shop:api"}]'),
      'e.yaml': BINDING('ClusterRoleBinding', 'other-ns', 'ClusterRole', 'view', '[{kind: Group, name: "system:serviceaccounts:other"}]'),
      'f.yaml': BINDING('ClusterRoleBinding', 'wrong-kind', 'ClusterRole', 'view', '[{kind: Group, name: "system:serviceaccount:shop:api"}]'),
    });
    assert.deepEqual(bindingNames(grantsOf(ws, 'shop', 'api')), ['all-sa', 'authn', 'ns-sa', 'user']);
  });
});

describe('roles', () => {
  test('a RoleBinding finds its Role in its own namespace only; a ClusterRoleBinding cannot reference a Role', () => {
    const role = (ns: string, resource: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: ${ns}}\nrules: [{apiGroups: [""], resources: [${resource}], verbs: [get]}]\n`;
    const ws = workspace({
      'roles.yaml': `${role('shop', 'secrets')}---\n${role('other', 'configmaps')}`,
      'rb.yaml': BINDING('RoleBinding', 'rb', 'Role', 'app', '[{kind: ServiceAccount, name: api}]', 'shop'),
      'crb.yaml': BINDING('ClusterRoleBinding', 'crb', 'Role', 'app', '[{kind: ServiceAccount, name: api, namespace: shop}]'),
    });
    const grants = grantsOf(ws, 'shop', 'api');
    assert.equal(grants.find((g) => g.binding.name === 'rb')?.role?.namespace, 'shop');
    assert.equal(grants.find((g) => g.binding.name === 'crb')?.role, undefined);
    assert.ok(can(grants, 'get', '', 'secrets'));
    assert.ok(!can(grants, 'get', '', 'configmaps'));
  });

  test('built-in roles by their documented meaning; unknown system roles; roles defined nowhere', () => {
    const ws = workspace({
      'a.yaml': BINDING('RoleBinding', 'edit', 'ClusterRole', 'edit', '[{kind: ServiceAccount, name: ci}]', 'build'),
      'b.yaml': BINDING('ClusterRoleBinding', 'controller', 'ClusterRole', 'system:controller:job-controller', '[{kind: ServiceAccount, name: ci, namespace: build}]'),
      'c.yaml': BINDING('ClusterRoleBinding', 'missing', 'ClusterRole', 'not-written', '[{kind: ServiceAccount, name: ci, namespace: build}]'),
    });
    const grants = grantsOf(ws, 'build', 'ci');
    const edit = grants.find((g) => g.binding.name === 'edit')!;
    assert.ok(can([edit], 'list', '', 'secrets'), 'edit reads secrets');
    assert.ok(can([edit], 'create', '', 'pods', 'exec'), 'edit can exec');
    assert.ok(can([edit], 'list', 'apps', 'deployments'), 'edit includes view (aggregated)');
    assert.ok(!can([edit], 'create', 'rbac.authorization.k8s.io', 'rolebindings'), 'edit cannot write RBAC');
    assert.equal(grants.find((g) => g.binding.name === 'controller')?.role?.unknown, true);
    assert.equal(grants.find((g) => g.binding.name === 'missing')?.role, undefined);
    assert.match(accessSummary(grants.filter((g) => g.binding.name === 'controller').map(grantRuleSet)), /not known/);
  });

  test('a workspace ClusterRole labelled aggregate-to-admin extends the built-in admin (and only admin)', () => {
    const ws = workspace({
      'reader.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregated-metrics-reader
  labels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}
rules: [{apiGroups: [metrics.k8s.io], resources: [pods, nodes], verbs: [get, list, watch]}]
`,
      'admin.yaml': BINDING('RoleBinding', 'admin', 'ClusterRole', 'admin', '[{kind: ServiceAccount, name: a}]', 'x'),
      'edit.yaml': BINDING('RoleBinding', 'edit', 'ClusterRole', 'edit', '[{kind: ServiceAccount, name: e}]', 'x'),
    });
    assert.ok(can(grantsOf(ws, 'x', 'a'), 'list', 'metrics.k8s.io', 'pods'));
    assert.ok(can(grantsOf(ws, 'x', 'a'), 'create', 'rbac.authorization.k8s.io', 'rolebindings'));
    assert.ok(!can(grantsOf(ws, 'x', 'e'), 'list', 'metrics.k8s.io', 'pods'));
  });

  test('a workspace definition of a built-in name is reconciled with the built-in rules unless autoupdate is "false"', () => {
    const clusterRole = (name: string, annotations: string, body: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}${annotations}}\n${body}\n`;
    const harmless = 'rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]';
    const optOut = ', annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}';
    const bindings = [['cluster-admin', 'a'], ['edit', 'e'], ['view', 'v']].map(([role, sa]) => BINDING('RoleBinding', sa, 'ClusterRole', role, `[{kind: ServiceAccount, name: ${sa}}]`, 'x')).join('---\n');
    const reconciled = workspace({
      'roles.yaml': [
        clusterRole('cluster-admin', '', harmless),
        clusterRole('edit', ', labels: {team: a}', harmless),
        clusterRole('view', '', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {extra-view: "true"}}]}'),
        clusterRole('metrics-reader', ', labels: {extra-view: "true"}', 'rules: [{apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get]}]'),
      ].join('---\n'),
      'bindings.yaml': bindings,
    });
    const admin = grantsOf(reconciled, 'x', 'a');
    assert.ok(can(admin, 'delete', '', 'secrets'), 'the built-in `*` rule is restored');
    assert.ok(can(admin, 'get', '', 'configmaps'), 'the written rule is kept');
    const edit = grantsOf(reconciled, 'x', 'e');
    assert.ok(can(edit, 'create', '', 'pods', 'exec'), 'edit keeps its aggregation of the built-in rules');
    assert.ok(edit.every((g) => g.rules.every((r) => r.source.name !== 'edit')), 'an aggregated role: its written rules are overwritten');
    assert.equal(rbacGraph(reconciled).roleNamed('ClusterRole', 'edit', undefined)?.labels.team, 'a', 'the written labels are kept beside the built-in ones');
    const view = grantsOf(reconciled, 'x', 'v');
    assert.ok(can(view, 'list', 'apps', 'deployments') && can(view, 'get', 'metrics.k8s.io', 'pods'), 'view: built-in selectors plus the written one');

    const kept = workspace({
      'roles.yaml': [clusterRole('cluster-admin', optOut, harmless), clusterRole('edit', optOut, harmless)].join('---\n'),
      'bindings.yaml': bindings,
    });
    assert.ok(!can(grantsOf(kept, 'x', 'a'), 'delete', '', 'secrets') && can(grantsOf(kept, 'x', 'a'), 'get', '', 'configmaps'), 'autoupdate "false": as written');
    assert.ok(!can(grantsOf(kept, 'x', 'e'), 'create', '', 'pods', 'exec'), 'autoupdate "false" on edit: no aggregation either');
  });

  test('aggregation: matchExpressions, nested aggregated roles, own rules overwritten, empty selector, cycles', () => {
    const cr = (name: string, labels: string, body: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}, labels: {${labels}}}\n${body}\n---\n`;
    const ws = workspace({
      'roles.yaml':
        cr('leaf-a', 'tier: a', 'rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]') +
        cr('leaf-b', 'tier: b', 'rules: [{apiGroups: [""], resources: [services], verbs: [get]}]') +
        cr('mid', 'top: "yes"', `aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: tier, operator: In, values: [a]}]}]}\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]`) +
        cr('top', 'loop: "1"', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {top: "yes"}}, {matchExpressions: [{key: tier, operator: NotIn, values: [a]}, {key: tier, operator: Exists}]}]}') +
        cr('loop', 'top: "yes"', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {loop: "1"}}]}') +
        cr('bad', '', 'aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: tier, operator: Matches, values: [a]}]}]}') +
        cr('everything', '', 'aggregationRule: {clusterRoleSelectors: [{}]}'),
      'b.yaml': [['top', 'top'], ['mid', 'mid'], ['bad', 'bad'], ['everything', 'all']].map(([role, sa]) => BINDING('ClusterRoleBinding', sa, 'ClusterRole', role, `[{kind: ServiceAccount, name: ${sa}, namespace: n}]`)).join('---\n'),
    });
    const mid = grantsOf(ws, 'n', 'mid');
    assert.ok(can(mid, 'get', '', 'configmaps'));
    assert.ok(!can(mid, 'get', '', 'secrets'), 'the written `*` rule of an aggregated role is overwritten');
    const top = grantsOf(ws, 'n', 'top');
    assert.ok(can(top, 'get', '', 'configmaps'), 'through mid');
    assert.ok(can(top, 'get', '', 'services'), 'leaf-b through matchExpressions');
    assert.deepEqual(grantsOf(ws, 'n', 'bad')[0].rules, [], 'an invalid selector selects nothing');
    assert.ok(can(grantsOf(ws, 'n', 'all'), 'get', '', 'services'), 'an empty selector selects every ClusterRole');
  });

  test('a RoleBinding to a ClusterRole grants only namespaced permissions, in its namespace', () => {
    const ws = workspace({
      'role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: node-debug}\nrules: [{apiGroups: [""], resources: [nodes/proxy, pods/exec], verbs: [get]}]\n',
      'rb.yaml': BINDING('RoleBinding', 'rb', 'ClusterRole', 'node-debug', '[{kind: ServiceAccount, name: x}]', 'shop'),
    });
    const summary = accessSummary(grantsOf(ws, 'shop', 'x').map(grantRuleSet));
    assert.equal(summary, 'can get pods/exec');
  });

  test('the same role in two files: its rules are the union; identical bindings are both listed', () => {
    const role = (resource: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app}\nrules: [{apiGroups: [""], resources: [${resource}], verbs: [get]}]\n`;
    const ws = workspace({ 'a.yaml': role('secrets'), 'b.yaml': role('configmaps'), 'rb.yaml': BINDING('RoleBinding', 'rb', 'Role', 'app', '[{kind: ServiceAccount, name: x}]') });
    const grants = grantsOf(ws, 'default', 'x');
    assert.ok(can(grants, 'get', '', 'secrets') && can(grants, 'get', '', 'configmaps'));
  });

  test('items of List documents count as roles and bindings', () => {
    const ws = workspace({
      'list.yaml': `apiVersion: v1
kind: List
items:
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r, namespace: a}, rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]}
  - {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: rb, namespace: a}, roleRef: {kind: Role, name: r}, subjects: [{kind: ServiceAccount, name: x}]}
`,
    });
    assert.ok(can(grantsOf(ws, 'a', 'x'), 'list', '', 'secrets'));
  });
});

describe('workload → ServiceAccount', () => {
  const pod = (spec: string, namespace = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${namespace ? `, namespace: ${namespace}` : ''}}\nspec: {${spec}containers: [{name: c, image: i}]}\n`;
  const use = (text: string, defaultNamespace = 'default') => {
    const ws = workspace({ 'p.yaml': text }, defaultNamespace);
    const u = serviceAccountUse(ws.ofKind('Pod')[0], ws)!;
    return `${u.namespace}/${u.name}`;
  };
  test('serviceAccountName, else the deprecated serviceAccount, else default; the namespace from the workload or the setting', () => {
    assert.equal(use(pod('serviceAccountName: api, ', 'shop')), 'shop/api');
    assert.equal(use(pod('serviceAccount: legacy, ')), 'default/legacy');
    assert.equal(use(pod('serviceAccountName: "", serviceAccount: legacy, ')), 'default/legacy');
    assert.equal(use(pod(''), 'team'), 'team/default');
  });
});
