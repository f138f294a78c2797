// Kustomize read statically, and analysis units: what gets deployed, as the engine sees it without
// running kustomize (Restricted Mode, and `--kustomize off`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/engine';
import type { Finding } from '../../../server/src/engine/finding';

const REPO = 'file:///repo';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      serviceAccountName: app
      containers:
        - name: app
          image: registry.example.com/app@sha256:0000000000000000000000000000000000000000000000000000000000000000
`;
const SERVICE_ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n';
const CLUSTER_ADMIN_FOR = (namespace: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: app-admin
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: app, namespace: ${namespace}}
`;

/** A base and two overlays: dev (namespace payments-dev), prod (namespace payments, a cluster-admin binding, a patch). */
function overlays(extra: Record<string, string> = {}): Engine {
  const engine = new Engine();
  const files: Record<string, string> = {
    'app/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - serviceaccount.yaml\n',
    'app/base/deployment.yaml': DEPLOYMENT,
    'app/base/serviceaccount.yaml': SERVICE_ACCOUNT,
    'app/overlays/dev/kustomization.yaml': 'namespace: payments-dev\nresources:\n  - ../../base\n',
    'app/overlays/prod/kustomization.yaml': 'namespace: payments\nresources:\n  - ../../base\n  - admin.yaml\npatches:\n  - path: harden.yaml\n',
    'app/overlays/prod/admin.yaml': CLUSTER_ADMIN_FOR('payments'),
    'app/overlays/prod/harden.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n',
    ...extra,
  };
  engine.workspace.setUnitRoots([REPO]);
  for (const [path, text] of Object.entries(files)) engine.workspace.setFile(`${REPO}/${path}`, text);
  return engine;
}

const lint = (engine: Engine, path: string) => engine.lint(`${REPO}/${path}`);
const ofRule = (findings: readonly Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

describe('Kustomize, statically', () => {
  test('a file named as a patch is a fragment: it is never linted as an object', () => {
    const engine = overlays();
    const patch = lint(engine, 'app/overlays/prod/harden.yaml');
    assert.deepEqual(patch.findings, []);
    assert.deepEqual(patch.suppressed, []);
    // Nor do other files see it: the base Deployment is the only Deployment named app of the prod build.
    assert.deepEqual(engine.workspace.contextsOf(`${REPO}/app/overlays/prod/harden.yaml`), []);
    assert.equal(engine.workspace.kustomize().patchFiles.has(`${REPO}/app/overlays/prod/harden.yaml`), true);
  });

  test("a base object lands in each overlay's namespace, and a binding of that overlay reaches it", () => {
    const findings = ofRule(lint(overlays(), 'app/base/deployment.yaml').findings, 'service-account-token-automount');
    assert.deepEqual(
      findings.map((f) => [f.severity, f.overlays, f.resource?.namespace]),
      [
        ['info', ['app/overlays/dev'], 'payments-dev'],
        ['warning', ['app/overlays/prod'], 'payments'],
      ],
    );
    assert.match(findings[0].message, /^In app\/overlays\/dev: Deployment\/app mounts the API token of ServiceAccount app\. No binding/);
    assert.match(findings[1].message, /^In app\/overlays\/prod: Deployment\/app mounts the API token of ServiceAccount app\. The account is bound by ClusterRoleBinding app-admin to ClusterRole cluster-admin/);
    // The ServiceAccount is defined in the build (placed in the overlay's namespace): not "missing".
    assert.deepEqual(ofRule(lint(overlays(), 'app/base/deployment.yaml').findings, 'service-account-missing'), []);
  });

  test('a finding that holds in every overlay is reported once, without naming them', () => {
    const findings = ofRule(lint(overlays(), 'app/base/deployment.yaml').findings, 'writable-root-filesystem');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].overlays, undefined);
    assert.doesNotMatch(findings[0].message, /^In /);
  });

  test('labels an overlay adds to pod templates are what its NetworkPolicies select', () => {
    const engine = overlays({
      'app/overlays/dev/kustomization.yaml': 'namespace: payments-dev\nresources:\n  - ../../base\n  - policy.yaml\nlabels:\n  - pairs: {env: dev}\n    includeTemplates: true\n',
      'app/overlays/dev/policy.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dev-only\nspec:\n  podSelector:\n    matchLabels: {env: dev}\n  policyTypes: [Ingress]\n',
    });
    assert.deepEqual(ofRule(lint(engine, 'app/overlays/dev/policy.yaml').findings, 'networkpolicy-selects-nothing'), []);
    // Without the added labels, the same policy selects nothing.
    const bare = overlays({
      'app/overlays/dev/kustomization.yaml': 'namespace: payments-dev\nresources:\n  - ../../base\n  - policy.yaml\n',
      'app/overlays/dev/policy.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dev-only\nspec:\n  podSelector:\n    matchLabels: {env: dev}\n  policyTypes: [Ingress]\n',
    });
    assert.equal(ofRule(lint(bare, 'app/overlays/dev/policy.yaml').findings, 'networkpolicy-selects-nothing').length, 1);
  });

  test('commonLabels add labels to metadata and pod templates, and the outer overlay wins a conflict', () => {
    const engine = overlays({
      'app/base/kustomization.yaml': 'commonLabels: {tier: base, team: a}\nresources:\n  - deployment.yaml\n  - serviceaccount.yaml\n',
      'app/overlays/dev/kustomization.yaml': 'namespace: payments-dev\ncommonLabels: {tier: dev}\nresources:\n  - ../../base\n',
    });
    const [dev] = engine.workspace.kustomize().placementsOf(`${REPO}/app/base/deployment.yaml`);
    assert.deepEqual(dev.placement.labels, { tier: 'dev', team: 'a' });
    assert.deepEqual(dev.placement.templateLabels, { tier: 'dev', team: 'a' });
    assert.equal(dev.placement.namespace, 'payments-dev');
  });

  test("components' resources are built, and remote resources are listed, never followed", () => {
    const engine = overlays({
      'app/overlays/dev/kustomization.yaml': 'namespace: payments-dev\nresources:\n  - ../../base\n  - https://github.com/example/remote//deploy?ref=v1\ncomponents:\n  - ../../components/debug\n',
      'app/components/debug/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - debug-pod.yaml\n',
      'app/components/debug/debug-pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers: [{name: sh, image: busybox, securityContext: {privileged: true}}]\n',
    });
    const graph = engine.workspace.kustomize();
    const dev = graph.overlays.find((o) => o.label === 'app/overlays/dev')!;
    assert.deepEqual(dev.remote, ['https://github.com/example/remote//deploy?ref=v1']);
    const privileged = ofRule(lint(engine, 'app/components/debug/debug-pod.yaml').findings, 'privileged-container');
    assert.equal(privileged.length, 1);
    assert.equal(privileged[0].resource?.namespace, 'payments-dev');
    // A component is not an overlay of its own.
    assert.deepEqual(graph.overlays.map((o) => o.label), ['app/overlays/dev', 'app/overlays/prod']);
  });

  test('kustomizations that include each other do not loop', () => {
    const engine = new Engine();
    engine.workspace.setFile(`${REPO}/a/kustomization.yaml`, 'resources: [../b, pod.yaml]\n');
    engine.workspace.setFile(`${REPO}/b/kustomization.yaml`, 'resources: [../a]\n');
    engine.workspace.setFile(`${REPO}/top/kustomization.yaml`, 'resources: [../a]\n');
    engine.workspace.setFile(`${REPO}/a/pod.yaml`, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}\n');
    assert.equal(ofRule(engine.lint(`${REPO}/a/pod.yaml`).findings, 'privileged-container').length, 1);
  });

  test('editing a kustomization re-lints what it builds, as a fresh lint would', () => {
    const engine = overlays();
    lint(engine, 'app/base/deployment.yaml');
    engine.workspace.setFile(`${REPO}/app/overlays/dev/kustomization.yaml`, 'namespace: payments\nresources:\n  - ../../base\n');
    const incremental = lint(engine, 'app/base/deployment.yaml').findings;
    const fresh = lint(overlays({ 'app/overlays/dev/kustomization.yaml': 'namespace: payments\nresources:\n  - ../../base\n' }), 'app/base/deployment.yaml').findings;
    assert.deepEqual(incremental.map(strip), fresh.map(strip));
    // Dev now places it in payments too, but prod's binding is not part of the dev build.
    assert.deepEqual(ofRule(incremental, 'service-account-token-automount').map((f) => [f.severity, f.overlays, f.resource?.namespace]), [
      ['info', ['app/overlays/dev'], 'payments'],
      ['warning', ['app/overlays/prod'], 'payments'],
    ]);
  });
});

describe('analysis units', () => {
  const WORKLOAD = (ns: string) => DEPLOYMENT.replace('name: app\nspec', `name: app\n  namespace: ${ns}\nspec`);
  const DENY_ALL = (ns: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: ${ns}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`;

  function twoProjects(withOther: boolean): Engine {
    const engine = new Engine();
    engine.workspace.setUnitRoots([`${REPO}/shop`, `${REPO}/blog`]);
    engine.workspace.setFile(`${REPO}/blog/app.yaml`, WORKLOAD('web'));
    if (withOther) {
      engine.workspace.setFile(`${REPO}/shop/policy.yaml`, DENY_ALL('web'));
      engine.workspace.setFile(`${REPO}/shop/binding.yaml`, CLUSTER_ADMIN_FOR('web'));
    }
    return engine;
  }

  test("another unit's policies and bindings neither isolate nor empower a workload", () => {
    const alone = twoProjects(false).lint(`${REPO}/blog/app.yaml`).findings;
    const beside = twoProjects(true).lint(`${REPO}/blog/app.yaml`).findings;
    assert.deepEqual(beside.map(strip), alone.map(strip));
    // Its namespace has no policy in its own unit: the namespace's one finding, on it (its first workload).
    assert.ok(alone.some((f) => f.ruleId === 'namespace-without-default-deny'));
    for (const finding of beside) assert.doesNotMatch(finding.message, /app-admin|cluster-admin/);
  });

  test('files under no root share one unit', () => {
    const engine = new Engine();
    engine.workspace.setFile(`${REPO}/a/app.yaml`, WORKLOAD('web'));
    engine.workspace.setFile(`${REPO}/b/policy.yaml`, DENY_ALL('web'));
    const findings = engine.lint(`${REPO}/a/app.yaml`).findings;
    assert.deepEqual([...ofRule(findings, 'namespace-without-default-deny'), ...ofRule(findings, 'workload-not-isolated')], []);
  });
});

/** A finding as plain data, without its lazily built fixes. */
function strip(finding: Finding): unknown {
  const { fixes: _fixes, ...rest } = finding;
  return JSON.parse(JSON.stringify(rest));
}

describe('a namespace a file is evidently meant for', () => {
  const INSTALL = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: controller
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: controller
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: controller, namespace: tools}
---
${DEPLOYMENT.replace(/\bapp\b/g, 'controller')}`;

  test('bindings that name its own ServiceAccounts in one namespace place the file there, and findings say so', () => {
    const engine = new Engine();
    engine.workspace.setFile(`${REPO}/install.yaml`, INSTALL);
    const token = ofRule(engine.lint(`${REPO}/install.yaml`).findings, 'service-account-token-automount');
    assert.equal(token.length, 1);
    assert.equal(token[0].resource?.namespace, 'tools');
    assert.match(token[0].message, /bound by ClusterRoleBinding controller to ClusterRole cluster-admin/);
    assert.match(token[0].message, /\(Namespace tools assumed: the file names none, and ClusterRoleBinding controller names ServiceAccount tools\/controller, which it defines\.\)$/);
  });

  test('no assumption when the file writes a namespace, or its bindings disagree', () => {
    for (const text of [
      INSTALL.replace('name: controller\n---', 'name: controller\n  namespace: other\n---'),
      INSTALL.replace('  - {kind: ServiceAccount, name: controller, namespace: tools}', '  - {kind: ServiceAccount, name: controller, namespace: tools}\n  - {kind: ServiceAccount, name: controller, namespace: ops}'),
    ]) {
      const engine = new Engine();
      engine.workspace.setFile(`${REPO}/install.yaml`, text);
      for (const finding of engine.lint(`${REPO}/install.yaml`).findings) assert.doesNotMatch(finding.message, /assumed/);
    }
  });
});
