// `kzt export-policy` as users run it: formats, the configuration's severities, exemptions, podTemplates and
// strict rules, --actions, --output, exit codes; and the exported policies refuse a bad
// Deployment when it is applied, judged by the policy evaluator of the parity tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { judge } from '../unit/export-policy/evaluate-policy';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');

function kzt(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [CLI, 'export-policy', ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-export-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

type Doc = Record<string, any>;
const documents = (yaml: string): Doc[] => parseAllDocuments(yaml).map((d) => d.toJS() as Doc);
const byName = (docs: Doc[], name: string) => docs.filter((d) => d.metadata.name === name);

const BAD_DEPLOYMENT = parse(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext: {privileged: true}
`) as Doc;

describe('kzt export-policy', () => {
  test('default: a ValidatingAdmissionPolicy and its binding per exportable rule of the profile; a bad Deployment is refused', () => {
    const run = kzt([], folderWith({}));
    assert.equal(run.code, 0, run.stderr);
    const docs = documents(run.stdout);
    const policies = docs.filter((d) => d.kind === 'ValidatingAdmissionPolicy');
    assert.equal(docs.filter((d) => d.kind === 'ValidatingAdmissionPolicyBinding').length, policies.length);
    assert.ok(policies.length >= 16, `${policies.length} policies`);
    assert.match(run.stderr, new RegExp(`^kzt: ${policies.length} policies exported \\(profile restricted\\); not exported`));
    const privileged = byName(docs, 'kube-zero-trust-privileged-container');
    assert.deepEqual(privileged[1].spec.validationActions, ['Deny']);
    assert.deepEqual(byName(docs, 'kube-zero-trust-run-as-root')[1].spec.validationActions, ['Warn', 'Audit']);
    assert.deepEqual(judge(privileged, BAD_DEPLOYMENT).denials, ['Container "app" is privileged, which amounts to root on the node. It gets every capability and the host\'s devices, runs without seccomp, AppArmor or /proc masking, and may escalate privileges. Remove privileged: true.']);
  });

  test('--format kyverno: a ClusterPolicy per rule, Enforce for errors, Audit with warnings for warnings', () => {
    const run = kzt(['--format', 'kyverno', '--profile', 'baseline'], folderWith({}));
    assert.equal(run.code, 0, run.stderr);
    const docs = documents(run.stdout);
    assert.ok(docs.every((d) => d.kind === 'ClusterPolicy'));
    assert.ok(!docs.some((d) => d.metadata.name === 'kube-zero-trust-run-as-root'), 'restricted rules are not in the baseline profile');
    const [privileged] = byName(docs, 'kube-zero-trust-privileged-container');
    assert.equal(privileged.spec.rules[0].validate.failureAction, 'Enforce');
    const [seccomp] = byName(docs, 'kube-zero-trust-seccomp-not-enforced');
    assert.equal(seccomp.spec.rules[0].validate.failureAction, 'Audit');
    assert.equal(seccomp.spec.emitWarning, true);
    assert.equal(judge([privileged], BAD_DEPLOYMENT).denials.length, 1);
  });

  test('the configuration: severities, off, exemptions (expired ones dropped), strict rules', () => {
    const dir = folderWith({
      '.kube-zero-trust.yaml': `rules:
  privileged-container: info
  host-port: off
strict: [host-namespace]
peerAnnotations: false
exemptions:
  - {kind: Deployment, name: "legacy-*", rules: [privileged-container], reason: migrating, expires: "2999-01-01"}
  - {namespace: kube-system, reason: the platform's own}
  - {kind: DaemonSet, reason: node agents}
  - {name: old, reason: gone, expires: "2000-01-01"}
`,
    });
    const run = kzt([], dir);
    assert.equal(run.code, 0, run.stderr);
    const docs = documents(run.stdout);
    assert.equal(byName(docs, 'kube-zero-trust-host-port').length, 0, 'a rule that is off is not exported');
    const [policy, binding] = byName(docs, 'kube-zero-trust-privileged-container');
    assert.deepEqual(binding.spec.validationActions, ['Audit']);
    assert.equal(policy.metadata.annotations['kube-zero-trust.io/exemptions-expire'], '2999-01-01');
    assert.deepEqual(policy.spec.matchConditions.map((c: Doc) => c.name), ['exemption-1', 'not-suppressed-by-annotation']);
    assert.deepEqual(binding.spec.matchResources.namespaceSelector.matchExpressions, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }]);
    assert.deepEqual(binding.spec.matchResources.excludeResourceRules, [{ apiGroups: ['apps'], apiVersions: ['*'], operations: ['*'], resources: ['daemonsets'] }]);
    const legacy = { ...BAD_DEPLOYMENT, metadata: { name: 'legacy-web', namespace: 'shop' } };
    assert.equal(judge([policy, binding], legacy).judged, false, 'the exemption admits legacy-*');
    assert.equal(judge([policy, binding], BAD_DEPLOYMENT).denials.length, 1);
    assert.equal(judge([policy, binding], { ...BAD_DEPLOYMENT, metadata: { name: 'web', namespace: 'kube-system' } }).judged, false);
    // Strict: the ignore annotation does not silence host-namespace; the expired exemption is not exported.
    const [hostNamespace] = byName(docs, 'kube-zero-trust-host-namespace');
    assert.deepEqual(hostNamespace.spec.matchConditions, undefined);
    assert.ok(!run.stdout.includes('"old"'), 'the expired exemption is not exported');
    const ignored = { ...BAD_DEPLOYMENT, metadata: { name: 'web', namespace: 'shop', annotations: { 'kube-zero-trust.io/ignore': 'capabilities-not-dropped, privileged-container' } } };
    assert.equal(judge([policy, binding], ignored).judged, false, 'the ignore annotation silences a rule that is not strict');
  });

  test('custom resources: the pod templates of Argo Rollouts and of configured podTemplates are refused; one without resource is reported', () => {
    const dir = folderWith({
      '.kube-zero-trust.yaml': `podTemplates:
  - {apiVersion: platform.example.com/v1, kind: WebApp, path: spec.runtime.template, resource: webapps}
  - {apiVersion: batch.example.com/*, kind: Batch, path: spec.template}
`,
    });
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop' }, spec: { template: BAD_DEPLOYMENT.spec.template } };
    const webApp = { apiVersion: 'platform.example.com/v1', kind: 'WebApp', metadata: { name: 'web', namespace: 'shop' }, spec: { runtime: { template: BAD_DEPLOYMENT.spec.template } } };
    const cluster = { served: [{ group: 'platform.example.com', kind: 'WebApp', resource: 'webapps', namespaced: true }] };
    const vap = kzt([], dir);
    assert.equal(vap.code, 0, vap.stderr);
    assert.match(vap.stderr, /^kzt: podTemplates Batch \(batch\.example\.com\/\*\) is not judged by the policies: give its plural API resource as `resource` \(its CRD's spec\.names\.plural\)$/m);
    assert.match(vap.stdout, /^# Not judged here \(podTemplates without the plural `resource` their policies match\): Batch \(batch\.example\.com\/\*\)\.$/m);
    const privileged = byName(documents(vap.stdout), 'kube-zero-trust-privileged-container');
    assert.deepEqual(
      privileged[0].spec.matchConstraints.resourceRules.filter((r: Doc) => ['platform.example.com', 'argoproj.io', 'serving.knative.dev'].includes(r.apiGroups[0])),
      [
        { apiGroups: ['platform.example.com'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['webapps'] },
        { apiGroups: ['argoproj.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['rollouts'] },
        { apiGroups: ['serving.knative.dev'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['services', 'configurations'] },
      ],
    );
    for (const object of [rollout, webApp]) assert.equal(judge(privileged, object, cluster).denials.length, 1, object.kind);

    const kyverno = kzt(['--format', 'kyverno'], dir);
    assert.equal(kyverno.code, 0, kyverno.stderr);
    const policies = documents(kyverno.stdout).filter((d) => d.metadata.annotations['kube-zero-trust.io/rule'] === 'privileged-container');
    assert.deepEqual(
      policies.map((p) => [p.metadata.name, p.metadata.labels['kube-zero-trust.io/api-group'], p.spec.rules[0].match.any[0].resources.kinds.join()]),
      [
        ['kube-zero-trust-privileged-container', undefined, 'Deployment,StatefulSet,DaemonSet,ReplicaSet,ReplicationController,Job,CronJob,PodTemplate,Pod,Pod/ephemeralcontainers'],
        ['kube-zero-trust-privileged-container-platform', 'platform.example.com', 'platform.example.com/v1/WebApp'],
        ['kube-zero-trust-privileged-container-openshift', 'apps.openshift.io', 'apps.openshift.io/*/DeploymentConfig'],
        ['kube-zero-trust-privileged-container-argo-rollouts', 'argoproj.io', 'argoproj.io/*/Rollout'],
        ['kube-zero-trust-privileged-container-knative', 'serving.knative.dev', 'serving.knative.dev/*/Service,serving.knative.dev/*/Configuration'],
        ['kube-zero-trust-privileged-container-keda', 'keda.sh', 'keda.sh/*/ScaledJob'],
      ],
    );
    for (const object of [rollout, webApp]) assert.equal(judge(policies, object, cluster).denials.length, 1, `${object.kind} (kyverno)`);
  });

  test('--actions overrides every policy\'s actions; --output writes a file, never through a link', () => {
    const dir = folderWith({});
    const run = kzt(['--actions', 'warn,AUDIT', '--output', 'policies.yaml'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const bindings = documents(readFileSync(join(dir, 'policies.yaml'), 'utf8')).filter((d) => d.kind === 'ValidatingAdmissionPolicyBinding');
    assert.ok(bindings.length > 0 && bindings.every((b) => b.spec.validationActions.join() === 'Warn,Audit'));
    symlinkSync(join(dir, 'target'), join(dir, 'link.yaml'));
    const linked = kzt(['--output', 'link.yaml'], dir);
    assert.equal(linked.code, 2);
    assert.match(linked.stderr, /symbolic link/);
  });

  test('usage errors exit 2', () => {
    const dir = folderWith({ 'broken.yaml': 'rules: {no-such-rule: error}\n' });
    for (const args of [
      ['--format', 'sarif'],
      ['--actions', 'Deny,Warn'],
      ['--actions', 'Block'],
      ['--profile', 'strict'],
      ['--fail-on', 'error'],
      ['manifests/'],
      ['--config', 'broken.yaml'],
      ['--config', 'missing.yaml'],
    ]) {
      const run = kzt(args, dir);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
    }
  });
});
