// Kinds with a pod template: the built-in ones, matched by group and kind, and a team's own
// CRDs named in the configuration (`podTemplates`), for every workload rule and analysis.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseConfigFile, podTemplatesSetting } from '../../server/src/config/config-file';
import type { EngineConfig } from '../../server/src/engine/config';
import { lintText } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/edits/offset-edit';
import { PodTemplates } from '../../server/src/model/pod-templates';

const WEBAPP = `apiVersion: example.com/v2
kind: WebApp
metadata: {name: shop-ui, namespace: shop}
spec:
  runtime:
    template:
      metadata: {labels: {app: ui}}
      spec:
        serviceAccountName: ui
        containers:
          - name: ui
            image: shop/ui:1.0
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ui, namespace: shop}
spec:
  podSelector: {matchLabels: {app: ui}}
  policyTypes: [Ingress, Egress]
`;

const config = (podTemplates?: EngineConfig['podTemplates']): EngineConfig => ({ profile: 'restricted', rules: {}, podTemplates });
const rulesOf = (text: string, c: EngineConfig, files?: Record<string, string>) => [...new Set(lintText(text, { config: c, files }).findings.map((f) => f.ruleId))].sort();

describe('kinds with a pod template', () => {
  test('built-in kinds are matched by group and kind: a core Service is not a Knative Service', () => {
    const templates = PodTemplates.BUILT_IN;
    assert.deepEqual(templates.holderOf({ apiVersion: 'serving.knative.dev/v1', kind: 'Service' })?.path, ['spec', 'template']);
    assert.equal(templates.holderOf({ apiVersion: 'v1', kind: 'Service' }), undefined);
    assert.deepEqual(templates.holderOf({ apiVersion: 'apps/v1beta2', kind: 'Deployment' })?.path, ['spec', 'template']);
    assert.deepEqual(templates.holderOf({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob' })?.path, ['spec', 'jobTargetRef', 'template']);
    assert.equal(templates.holderOf({ apiVersion: 'example.com/v1', kind: 'Deployment' }), undefined);
    assert.equal(templates.holderOf({ apiVersion: 'v1', kind: 'PodTemplate' })?.runsPods, false);
  });

  test('a configured CRD is checked by the workload rules, `group/*` for any version, at its own path', () => {
    assert.deepEqual(rulesOf(WEBAPP, config()), []);
    assert.deepEqual(rulesOf(WEBAPP, config([{ apiVersion: 'example.com/v1', kind: 'WebApp', path: 'spec.runtime.template' }])), []);
    const any = config([{ apiVersion: 'example.com/*', kind: 'WebApp', path: 'spec.runtime.template' }]);
    const found = lintText(WEBAPP, { config: any }).findings;
    const runAsRoot = found.find((f) => f.ruleId === 'run-as-root')!;
    assert.deepEqual([runAsRoot.range.start, runAsRoot.resource?.kind], [{ line: 10, character: 18 }, 'WebApp']);
    assert.equal(
      applyEdits(WEBAPP, runAsRoot.fixes[0].edits),
      WEBAPP.replace('image: shop/ui:1.0\n', 'image: shop/ui:1.0\n            securityContext:\n              runAsNonRoot: true\n'),
    );
    // Its ServiceAccount is the template's; NetworkPolicies select its pods by the template's labels.
    assert.match(found.find((f) => f.ruleId === 'service-account-token-automount')!.message, /ServiceAccount ui/);
    // Its namespace has no policy: the namespace's one finding relates it; a policy on the template's labels isolates it.
    const open = (files?: Record<string, string>) =>
      lintText(WEBAPP, { config: any, files }).findings.filter((f) => f.ruleId === 'namespace-without-default-deny').flatMap((f) => f.related?.map((r) => r.message) ?? []);
    assert.deepEqual(open(), ['WebApp/shop-ui is open for ingress and egress.']);
    assert.deepEqual(open({ 'file:///policy.yaml': POLICY }), []);
    assert.ok(!rulesOf(WEBAPP, any, { 'file:///policy.yaml': POLICY }).includes('workload-not-isolated'));
  });

  test('the setting is read as the config file\'s field: invalid entries give none', () => {
    const entry = { apiVersion: 'example.com/v1', kind: 'WebApp', path: 'spec.runtime.template' };
    assert.deepEqual(podTemplatesSetting([entry]), [entry]);
    for (const bad of [[{ ...entry, apiVersion: 'v1' }], [{ ...entry, path: 'spec..template' }], [{ ...entry, extra: 1 }], 'spec.template', [{ kind: 'WebApp' }]]) {
      assert.deepEqual(podTemplatesSetting(bad), [], JSON.stringify(bad));
    }
    const file = parseConfigFile('podTemplates:\n  - apiVersion: example.com/*\n    kind: WebApp\n    path: spec.runtime.template\n', new Set());
    assert.deepEqual(file.config?.podTemplates, [{ apiVersion: 'example.com/*', kind: 'WebApp', path: 'spec.runtime.template' }]);
    const invalid = parseConfigFile('podTemplates:\n  - {apiVersion: example.com/v1, kind: WebApp}\n', new Set());
    assert.deepEqual(invalid.errors.map((e) => [e.range.start.line, e.message]), [[1, ".kube-zero-trust.yaml: podTemplates.0: must have required property 'path'"]]);
  });

  test('examples/rollout: the Rollout\'s pods are checked and selected like a Deployment\'s', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'examples', 'rollout', 'rollout.yaml'), 'utf8');
    const findings = lintText(text, { config: config() }).findings;
    assert.deepEqual(findings.map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.resource?.kind}`), [
      '6 namespace-without-default-deny Namespace',
      '39 image-tag-mutable Rollout',
      '42 privilege-escalation-allowed Rollout',
    ]);
    // The namespace has no policy: its one finding relates the Rollout, at its name.
    assert.deepEqual(findings[0].related?.map((r) => `${r.range.start.line + 1} ${r.message}`), ['20 Rollout/payments-api is open for ingress and egress.']);
  });
});
