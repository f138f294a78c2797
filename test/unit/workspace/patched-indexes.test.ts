// A keystroke patches the workspace-wide indexes of the previous snapshot for the files it
// changed (`UnitView.memo`'s patch): after any sequence of random edits, each index must answer
// exactly as one built from scratch over the same files. Correctness only: nothing is timed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkIndex, NetworkIndex } from '../../../server/src/analysis/network/network-index';
import { rbacGraph, RbacGraph, serviceAccountIdentity, type RoleNode } from '../../../server/src/analysis/rbac/graph';
import { serviceAccountsNamed } from '../../../server/src/analysis/rbac/service-accounts';
import type { Resource } from '../../../server/src/model/resource';
import type { WorkspaceView } from '../../../server/src/workspace/snapshot';
import { Workspace } from '../../../server/src/workspace/workspace';

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = ['shop', 'pay'];
const NAMES = ['web', 'api', 'default'];
const APPS = ['web', 'api'];

/** A random document of a kind the indexes read; small pools of names so that files share keys. */
function randomDocument(next: () => number): string {
  const pick = <T,>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const namespace = next() < 0.2 ? '' : `\n  namespace: ${pick(NAMESPACES)}`;
  const name = pick(NAMES);
  const app = pick(APPS);
  switch (Math.floor(next() * 10)) {
    case 0:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}${namespace}\nspec:\n  template:\n    metadata:\n      labels: {app: ${app}}\n    spec:\n      serviceAccountName: ${pick(NAMES)}\n      containers:\n      - name: c\n        image: example.com/${app}:${Math.floor(next() * 9)}\n        env:\n        - {name: UPSTREAM, value: "http://${pick(NAMES)}:80"}\n`;
    case 1:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}${namespace}\nspec:\n  selector: {app: ${app}}\n  ports:\n  - port: 80\n`;
    case 2:
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}${namespace}\nspec:\n  podSelector: ${next() < 0.5 ? '{}' : `{matchLabels: {app: ${app}}}`}\n  policyTypes: [${pick(['Ingress', 'Egress', 'Ingress, Egress'])}]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: ${pick(APPS)}}}\n`;
    case 3:
      return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${pick(NAMESPACES)}\n  labels: {team: ${app}}\n`;
    case 4:
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}${namespace}\nrules:\n- apiGroups: [""]\n  resources: [${pick(['pods', 'secrets', '"*"'])}]\n  verbs: [get, list]\n`;
    case 5:
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${pick([name, 'view', 'edit', 'aggregate'])}\n  labels: {rbac.example.com/aggregate-to-${app}: "true"}\n${next() < 0.3 ? `aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {rbac.example.com/aggregate-to-${pick(APPS)}: "true"}\n` : ''}rules:\n- apiGroups: [""]\n  resources: [${pick(['pods', 'secrets'])}]\n  verbs: [${pick(['get', '"*"'])}]\n`;
    case 6:
    case 7: {
      const cluster = next() < 0.4;
      const subjects = Array.from({ length: 1 + Math.floor(next() * 2) }, () =>
        next() < 0.7 ? `- kind: ServiceAccount\n  name: ${pick(NAMES)}${next() < 0.5 ? `\n  namespace: ${pick(NAMESPACES)}` : ''}` : `- kind: Group\n  name: ${pick(['system:authenticated', 'system:serviceaccounts'])}`,
      );
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${cluster ? 'ClusterRoleBinding' : 'RoleBinding'}\nmetadata:\n  name: ${name}${cluster ? '' : namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${cluster || next() < 0.5 ? 'ClusterRole' : 'Role'}\n  name: ${pick([...NAMES, 'view', 'aggregate', 'system:unknown'])}\nsubjects:\n${subjects.join('\n')}\n`;
    }
    case 8:
      return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}${namespace}\n${next() < 0.5 ? 'automountServiceAccountToken: false\n' : ''}`;
    default:
      return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}${namespace}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: {name: ${pick(NAMES)}, port: {number: 80}}\n`;
  }
}

function randomFile(next: () => number): string {
  return Array.from({ length: 1 + Math.floor(next() * 4) }, () => randomDocument(next)).join('---\n');
}

const id = (resource: Resource | undefined): string => (resource ? `${resource.uri}#${resource.docIndex}:${resource.kind}/${resource.name}@${resource.namespace ?? ''}` : '-');
const ids = (resources: readonly Resource[]): string[] => resources.map(id);

/** Everything rules ask the network index, as plain data. */
function networkAnswers(index: NetworkIndex, view: WorkspaceView): unknown {
  const namespaces = [...NAMESPACES, 'default'];
  const workloads = view.resources().flatMap((r) => index.workloadOf(r) ?? []);
  return {
    lists: [index.workloads, index.podTemplateSources, index.policies, index.ciliumPolicies, index.services].map((list) => list.map((entry) => id(entry.resource))),
    workloadOf: view.resources().map((r) => id(index.workloadOf(r)?.resource)),
    policyOf: view.resources().map((r) => id(index.policyOf(r)?.resource)),
    namespaces: namespaces.map((namespace) => ({
      manifests: ids(index.namespaceManifestsOf(namespace)),
      labels: index.namespaceLabels(namespace),
      isolatable: index.isolatableWorkloadsIn(namespace).map((w) => id(w.resource)),
      policies: index.policiesIn(namespace).map((p) => id(p.resource)),
      hasPolicies: index.hasPolicies(namespace),
      defaultDeny: index.defaultDeny(namespace),
    })),
    workloads: workloads.map((workload) => ({
      isolation: Object.entries(index.isolation(workload)).map(([direction, isolators]) => [direction, isolators.map((i) => id(i.policy.resource))]),
      services: index.servicesSelecting(workload).map((s) => id(s.resource)),
      references: index.referencesFrom(workload).map((r) => id(r.service.resource)),
    })),
    services: index.services.map((service) => ({
      behind: index.workloadsBehind(service).map((w) => id(w.resource)),
      routes: index.routesTo(service).map((r) => id(r.ingress)),
      referencedBy: index.referencesTo(service).map((r) => id(r.from.resource)),
    })),
  };
}

const role = (node: RoleNode | undefined) => node && { kind: node.kind, name: node.name, namespace: node.namespace, objects: ids(node.objects), builtIn: node.builtIn?.name, unknown: node.unknown, labels: node.labels };

/** Everything rules ask the RBAC graph and the ServiceAccount index, as plain data. */
function rbacAnswers(graph: RbacGraph, view: WorkspaceView): unknown {
  const accounts = NAMESPACES.flatMap((namespace) => NAMES.map((name) => [namespace, name] as const));
  const roles = [...NAMES, 'view', 'edit', 'aggregate', 'system:unknown'];
  return {
    bindings: graph.bindings.map((b) => [id(b.object), b.namespace, b.roleRef.kind, b.roleRef.name, b.subjects.map((s) => [s.kind, s.name, s.namespace])]),
    bindingsIn: view.resources().map((r) => graph.bindingsIn(r).map((b) => id(b.object))),
    roleOf: graph.bindings.map((b) => role(graph.roleOf(b))),
    roles: roles.map((name) => ({
      cluster: role(graph.roleNamed('ClusterRole', name, undefined)),
      named: graph.rolesNamed(name).map(role),
      inNamespaces: NAMESPACES.map((namespace) => role(graph.roleNamed('Role', name, namespace))),
    })),
    rules: roles.map((name) => {
      const node = graph.roleNamed('ClusterRole', name, undefined);
      return node && { rules: graph.rulesOf(node).map((r) => [r.source.name, id(r.written ? r.source.objects[0] : undefined)]), into: graph.aggregatedInto(node).map((r) => r.name), bindings: graph.bindingsOf(node).map((b) => id(b.object)) };
    }),
    grants: accounts.map(([namespace, name]) =>
      graph.grantsTo(serviceAccountIdentity(namespace, name)).map((g) => [id(g.binding.object), g.subject.index, role(g.role), g.rules.length, g.namespace]),
    ),
    accounts: accounts.map(([namespace, name]) => ids(serviceAccountsNamed(view, namespace, name))),
  };
}

/** An identity's grants come in the order of the workspace's bindings, whichever of its keys (user, groups) matched. */
function assertGrantsInWorkspaceOrder(graph: RbacGraph): void {
  for (const namespace of NAMESPACES) {
    for (const name of NAMES) {
      const positions = graph.grantsTo(serviceAccountIdentity(namespace, name)).map((grant) => graph.bindings.indexOf(grant.binding));
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    }
  }
}

test('indexes patched edit after edit answer as indexes built from scratch', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const next = random(seed);
    const uris = Array.from({ length: 6 }, (_, i) => `file:///ws/f${i}.yaml`);
    const texts = new Map(uris.map((uri) => [uri, randomFile(next)]));
    // Some files compact, as the language server keeps the files nobody has open.
    const compact = new Set(uris.filter(() => next() < 0.5));
    const workspace = new Workspace();
    for (const [uri, text] of texts) workspace.setFile(uri, text, { compact: compact.has(uri) });
    for (let step = 0; step < 30; step++) {
      const uri = uris[Math.floor(next() * uris.length)];
      const text = next() < 0.3 ? texts.get(uri)!.replace(/image: (\S+)/, 'image: $1x') : randomFile(next);
      texts.set(uri, text);
      workspace.setFile(uri, text, { compact: compact.has(uri) });
      // Not every state is read: patches then span several edits, of one file or several.
      if (next() < 0.4) continue;
      const view = workspace.snapshot.contextsOf(uris[0])[0].view;
      const fresh = new Workspace();
      for (const [other, otherText] of texts) fresh.setFile(other, otherText, { compact: compact.has(other) });
      const freshView = fresh.snapshot.contextsOf(uris[0])[0].view;
      const where = `seed ${seed}, step ${step}`;
      assert.deepEqual(ids(view.resources()), ids(freshView.resources()), where);
      assert.deepEqual(networkAnswers(networkIndex(view), view), networkAnswers(NetworkIndex.of(freshView.defaultNamespace, freshView.resources()), freshView), where);
      assert.deepEqual(rbacAnswers(rbacGraph(view), view), rbacAnswers(new RbacGraph(freshView), freshView), where);
      assertGrantsInWorkspaceOrder(rbacGraph(view));
    }
  }
});

test('an earlier snapshot keeps its indexes when the next one patches them', () => {
  const workspace = new Workspace();
  const uri = 'file:///ws/app.yaml';
  workspace.setFile('file:///ws/policy.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n');
  workspace.setFile(uri, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: web}]}\n');
  const before = workspace.snapshot.contextsOf(uri)[0].view;
  const index = networkIndex(before);
  const workloads = index.workloads.map((w) => id(w.resource));
  workspace.setFile(uri, 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, image: db}]}\n');
  const after = networkIndex(workspace.snapshot.contextsOf(uri)[0].view);
  assert.notEqual(after, index);
  assert.deepEqual(after.workloads.map((w) => w.resource.kind), ['StatefulSet']);
  assert.equal(networkIndex(before), index);
  assert.deepEqual(index.workloads.map((w) => id(w.resource)), workloads);
});
