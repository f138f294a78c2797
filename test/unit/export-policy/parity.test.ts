// Parity of the exported admission policies with the rules: for every rule with an admission
// check, each of its valid and invalid cases and every document of the examples, at the case's
// profile, in both formats: a policy denies an object exactly when the rule reports it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { lintText } from '../../../server/src/engine/engine';
import { isListKind } from '../../../server/src/model/resource';
import type { EngineConfig } from '../../../server/src/engine/config';
import { ruleProfiles, type Rule, type RuleCases } from '../../../server/src/engine/rule';
import { exportPolicies, POLICY_FORMATS } from '../../../server/src/export-policy/export-policies';
import { RULES } from '../../../rules';
import { PodTemplates, type PodTemplateKind } from '../../../server/src/model/pod-templates';
import { judge, servedAs, type Cluster } from './evaluate-policy';

const root = join(__dirname, '..', '..', '..');
const exportable = RULES.filter((rule) => rule.meta.admission);

/** The policies of one rule (each format), as parsed documents. */
function policiesOf(rule: Rule, config: EngineConfig) {
  return POLICY_FORMATS.map((format) => {
    const { yaml, exported } = exportPolicies({ format, rules: [rule], config });
    assert.deepEqual(exported, [rule.meta.id]);
    return { format, documents: parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, any>) };
  });
}

/**
 * The objects of `text` (a List document's items are objects of their own: kubectl sends each
 * one to the API server alone) and whether the rule reports each.
 */
function reported(rule: Rule, text: string, config: EngineConfig, files?: Record<string, string>) {
  const { findings, suppressed } = lintText(text, { rules: [rule], config, files });
  // `# kzt-ignore` comments never reach the API server (kubectl sends JSON): what they silence is denied there (README).
  const byComment = suppressed.filter((f) => f.suppressed?.by === 'comment');
  // What the check leaves to the editor (a part of the rule standard CEL cannot say) is not denied.
  const hit = new Set([...findings, ...byComment].filter((f) => f.ruleId === rule.meta.id && !f.outsideAdmission).map((f) => `${f.docIndex}:${f.item ?? ''}`));
  return parseAllDocuments(text).flatMap((doc, index) => {
    const value = doc.toJS() as Record<string, any> | null;
    const items: unknown = value && typeof value.kind === 'string' && isListKind(value.kind) ? value.items : undefined;
    if (!Array.isArray(items)) return [{ object: value, reported: hit.has(`${index}:`) }];
    return items.map((item, i) => ({ object: item as Record<string, any> | null, reported: hit.has(`${index}:${i}`) }));
  });
}

function checkParity(rule: Rule, text: string, config: EngineConfig, files?: Record<string, string>, cluster: Cluster = {}): void {
  const policies = policiesOf(rule, config);
  for (const { object, reported: isReported } of reported(rule, text, config, files)) {
    if (!object || typeof object !== 'object' || typeof object.kind !== 'string') continue;
    // A check that judges fewer kinds than its rule leaves the others (they need other resources) to the editor.
    if (rule.meta.admission!.kinds && !rule.meta.admission!.kinds.includes(object.kind)) continue;
    // The API server refuses an object of a kind it does not serve before any admission policy sees it.
    if (!servedAs(object, cluster)) continue;
    for (const { format, documents } of policies) {
      const verdict = judge(documents, object, cluster);
      const name: string = `${object.apiVersion} ${object.kind} ${object.metadata?.name ?? ''} (${format})`;
      assert.equal(verdict.denials.length > 0, isReported, isReported ? `${name}: the rule reports it, the policy admits it` : `${name}: the policy denies it (${verdict.denials.join('; ')}), the rule reports nothing`);
    }
  }
}

/** A team's own kind with a pod template, as `podTemplates` configures it, and the cluster that serves it. */
const WEBAPP: PodTemplateKind = { apiVersion: 'example.com/v1', kind: 'WebApp', path: 'spec.runtime.template', resource: 'webapps' };
const WITH_WEBAPP: Cluster = { served: [{ group: 'example.com', kind: 'WebApp', resource: 'webapps', namespaced: true }] };

/** The custom resources with a pod template, and where their CRDs keep it (from each project's API reference). */
const CUSTOM_POD_TEMPLATES = [
  { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', path: ['spec', 'template'] },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', path: ['spec', 'template'] },
  { apiVersion: 'serving.knative.dev/v1', kind: 'Service', path: ['spec', 'template'] },
  { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', path: ['spec', 'template'] },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', path: ['spec', 'jobTargetRef', 'template'] },
  { apiVersion: WEBAPP.apiVersion, kind: WEBAPP.kind, path: WEBAPP.path.split('.') },
];

/**
 * The case's text with each object that has a pod template (a Pod, a Deployment, a Rollout…)
 * re-wrapped into `target`: the object's metadata, its pod template (a Pod's metadata and spec)
 * where the target kind keeps it. Other documents stay as they are.
 */
function rewrapped(text: string, target: (typeof CUSTOM_POD_TEMPLATES)[number]): string {
  return parseAllDocuments(text)
    .map((doc) => {
      const value = doc.toJS() as Record<string, any> | null;
      const holder = value && typeof value.kind === 'string' && PodTemplates.BUILT_IN.holderOf({ apiVersion: String(value.apiVersion ?? ''), kind: value.kind });
      const template = holder && (holder.path.length ? holder.path.reduce<any>((at, key) => at?.[key], value) : { metadata: value!.metadata, spec: value!.spec });
      if (!value || !template || typeof template !== 'object') return stringify(value);
      const wrapped: Record<string, any> = { apiVersion: target.apiVersion, kind: target.kind, metadata: value.metadata };
      let at = wrapped;
      target.path.slice(0, -1).forEach((key) => (at = at[key] = {}));
      at[target.path[target.path.length - 1]] = template;
      return stringify(wrapped);
    })
    .join('---\n');
}

const CONTAINER_EXEMPTIONS = [
  { container: 'app', reason: 'the container most cases name' },
  { kind: 'CronJob', container: 'in*', reason: 'init containers of CronJobs' },
];

describe('admission policies deny exactly what the rules report', () => {
  for (const rule of exportable) {
    describe(rule.meta.id, async () => {
      const { cases } = (await import(join(root, 'rules', `${rule.meta.id}.ts`))) as { cases: RuleCases };
      for (const c of [...cases.valid, ...cases.invalid]) {
        const config = { profile: c.profile ?? 'restricted', rules: { [rule.meta.id]: rule.meta.severity }, ruleOptions: c.options ? { [rule.meta.id]: c.options } : {} };
        test(c.name, () => {
          checkParity(rule, c.yaml, config, c.workspace);
          if (rule.meta.admission!.subject !== 'pod') return;
          // Exemptions naming containers exempt exactly the findings that have the container as their target.
          checkParity(rule, c.yaml, { ...config, exemptions: CONTAINER_EXEMPTIONS }, c.workspace);
          // The same pods in every custom resource with a pod template, and in a configured one.
          for (const target of CUSTOM_POD_TEMPLATES) checkParity(rule, rewrapped(c.yaml, target), { ...config, podTemplates: [WEBAPP] }, c.workspace, WITH_WEBAPP);
        });
      }
    });
  }

  const examples = readdirSync(join(root, 'examples'), { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('admission'));
  for (const profile of ['baseline', 'restricted'] as const) {
    test(`the examples, profile ${profile}`, () => {
      for (const file of examples) {
        const text = readFileSync(join(root, 'examples', file), 'utf8');
        for (const rule of exportable) {
          if (!ruleProfiles(rule.meta).includes(profile)) continue;
          checkParity(rule, text, { profile, rules: {} });
        }
      }
    });
  }
});

test('the checks use standard CEL only: no optional fields, no Kubernetes or extension library', () => {
  const forbidden = /\?\.|\?\[|\.orValue\(|optional\.|\.(lowerAscii|upperAscii|split|join|replace|indexOf|lastIndexOf|substring|trim|format|quote|isSorted|sum|min|max|indexOf|url|ip|cidr|quantity|authorizer)\(/;
  // String literals (regular expressions, messages) may hold anything.
  const code = (expression: string) => expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const rule of exportable) {
    for (const profile of ['baseline', 'restricted'] as const) {
      for (const v of rule.meta.admission!.validations(profile, rule.meta.options?.defaults ?? {})) {
        assert.doesNotMatch(code(v.expression), forbidden, rule.meta.id);
        assert.doesNotMatch(code(v.messageExpression), forbidden, rule.meta.id);
      }
    }
  }
});

test('exemptions, the ignore annotation, peer annotations and strict rules: the policy admits what the engine silences', () => {
  const rule = RULES.find((r) => r.meta.id === 'privileged-container')!;
  const workload = (kind: string, name: string, namespace: string | undefined, annotations: Record<string, string> = {}) => `apiVersion: ${kind === 'Pod' ? 'v1' : 'apps/v1'}
kind: ${kind}
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}, annotations: ${JSON.stringify(annotations)}}
spec:
${kind === 'Pod' ? '' : '  template:\n    spec:\n'}${kind === 'Pod' ? '  ' : '      '}containers: [{name: app, image: nginx, securityContext: {privileged: true}}]
`;
  const text = [
    workload('Deployment', 'legacy-api', 'shop'),
    workload('Deployment', 'api', 'shop'),
    workload('Deployment', 'api', 'team-a-system'),
    workload('DaemonSet', 'agent', 'shop'),
    workload('Pod', 'debug', undefined),
    workload('Pod', 'debug', 'kube-system'),
    workload('Pod', 'x', 'shop', { 'kube-zero-trust.io/ignore': 'run-as-root privileged-container' }),
    workload('Pod', 'y', 'shop', { 'kube-zero-trust.io/ignore': 'all' }),
    workload('Pod', 'z', 'shop', { 'kube-zero-trust.io/ignore': 'privileged-containers' }),
    workload('Pod', 'k', 'shop', { 'ignore-check.kube-linter.io/privileged-container': '' }),
    workload('Pod', 'p', 'shop', { 'polaris.fairwinds.com/runAsPrivileged-exempt': 'true' }),
    workload('Pod', 'c', 'shop', { 'checkov.io/skip1': 'CKV_K8S_16=needed by the driver' }),
    workload('Pod', 's', 'shop', { 'kube-score/ignore': 'container-image-tag, container-security-context-privileged' }),
  ].join('---\n');
  const exemptions = [
    { kind: 'Deployment', name: 'legacy-*', reason: 'migrating', expires: '2999-01-01' },
    { namespace: '*-system', kind: 'Deployment', reason: 'platform' },
    { kind: 'DaemonSet', reason: 'agents' },
    { namespace: 'default', name: 'debug', reason: 'local' },
    { namespace: 'kube-system', reason: 'platform' },
    { name: 'api', reason: 'expired', expires: '2020-01-01' },
    { name: '*', rules: ['run-as-root'], reason: 'another rule' },
  ];
  for (const config of [
    { profile: 'restricted', rules: {}, exemptions, today: '2026-01-01' },
    { profile: 'restricted', rules: {}, exemptions, today: '2026-01-01', strict: ['privileged-container'] },
    { profile: 'baseline', rules: {}, peerAnnotations: false },
  ] satisfies EngineConfig[]) {
    const policies = policiesOf(rule, config);
    const results = reported(rule, text, config);
    assert.ok(results.some((r) => r.reported) && results.some((r) => !r.reported));
    for (const { object, reported: isReported } of results) {
      for (const { format, documents } of policies) {
        assert.equal(judge(documents, object!).denials.length > 0, isReported, `${object!.kind} ${object!.metadata.namespace}/${object!.metadata.name} (${format}, ${JSON.stringify(config.strict ?? config.peerAnnotations ?? '')})`);
      }
    }
  }
});

test('credential denials name the container and the env var, or the ConfigMap key, never the value', () => {
  const secret = ['s3cr3t', '-v4lue-', '9172'].join('');
  const token = ['dGVzdC1vcGFxdWUt', 'dG9rZW4tMjAyNg'].join('');
  const config: EngineConfig = { profile: 'restricted', rules: {} };
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'shop' },
    spec: { containers: [{ name: 'app', image: 'x', env: [{ name: 'DB_PASSWORD', value: secret }], args: [`--header=Authorization: Bearer ${token}`] }] },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { LOG_LEVEL: 'info', 'api.token': secret } };
  for (const [id, object, expected] of [
    ['hardcoded-credential', pod, ['Container "app" sets env DB_PASSWORD to a literal credential. Anyone who', 'Container "app" passes a literal credential in its command line (command, args, or a probe or hook exec command). Anyone who']],
    ['credential-in-configmap', configMap, ['ConfigMap "settings" key "api.token" holds a literal credential. ConfigMaps are']],
  ] as const) {
    for (const { format, documents } of policiesOf(RULES.find((r) => r.meta.id === id)!, config)) {
      const { denials } = judge(documents, object);
      assert.equal(denials.length, expected.length, `${id} (${format}): ${denials.join('; ')}`);
      expected.forEach((start, i) => assert.ok(denials[i].startsWith(start), denials[i]));
      assert.ok(denials.every((d) => !d.includes(secret) && !d.includes(token)), `${id} (${format}) shows the value`);
    }
  }
});

test('custom resources: each kind is judged at its own pod template; a core Service is not a pod, a configured kind without resource is reported', () => {
  const rule = RULES.find((r) => r.meta.id === 'privileged-container')!;
  const config: EngineConfig = { profile: 'restricted', rules: {}, podTemplates: [WEBAPP, { apiVersion: 'example.com/*', kind: 'Batch', path: 'spec.template' }] };
  const privileged = { spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: true } }] } };
  const objectAt = (apiVersion: string, kind: string, path: readonly string[]) => {
    const object: Record<string, any> = { apiVersion, kind, metadata: { name: 'web', namespace: 'shop' } };
    let at = object;
    path.slice(0, -1).forEach((key) => (at = at[key] = {}));
    at[path[path.length - 1]] = privileged;
    return object;
  };
  for (const format of POLICY_FORMATS) {
    const { yaml, unknownPodTemplates } = exportPolicies({ format, rules: [rule], config });
    const documents = parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, any>);
    // What the policy says of the same pod as a Pod: every kind's denial says the same.
    const pod = judge(documents, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, ...privileged }).denials;
    assert.equal(pod.length, 1, format);
    for (const { apiVersion, kind, path } of CUSTOM_POD_TEMPLATES) {
      const object = objectAt(apiVersion, kind, path);
      assert.equal(lintText(stringify(object), { rules: [rule], config }).findings.length, 1, `${kind}: the engine reports it`);
      assert.deepEqual(judge(documents, object, WITH_WEBAPP).denials, pod, `${kind} (${format})`);
      // The same template one level off is not where the kind keeps it: admitted, as the engine does.
      assert.deepEqual(judge(documents, objectAt(apiVersion, kind, [...path, 'spec']), WITH_WEBAPP).denials, [], `${kind} (${format}): another path`);
    }
    // A core Service never holds a pod: no pod policy judges it, even with a Knative-like template.
    assert.equal(judge(documents, objectAt('v1', 'Service', ['spec', 'template'])).judged, false, format);
    // A configured kind whose plural is not known is not judged, and the export says so.
    assert.deepEqual(unknownPodTemplates.map((t) => t.kind), ['Batch']);
    assert.match(yaml, /^# Not judged here \(podTemplates without the plural `resource` their policies match\): Batch \(example\.com\/\*\)\.$/m);
    const batch = { served: [{ group: 'example.com', kind: 'Batch', resource: 'batches', namespaced: true }] };
    assert.equal(judge(documents, objectAt('example.com/v1', 'Batch', ['spec', 'template']), batch).judged, false, format);
    // An exemption of a kind exempts it in every group, as in the engine: the Knative Service, not the Rollout.
    const exempted = { ...config, exemptions: [{ kind: 'Service', reason: 'serverless team' }] };
    const withExemption = parseAllDocuments(exportPolicies({ format, rules: [rule], config: exempted }).yaml).map((d) => d.toJS() as Record<string, any>);
    for (const { apiVersion, kind, path } of CUSTOM_POD_TEMPLATES.filter((c) => c.kind === 'Service' || c.kind === 'Rollout')) {
      const object = objectAt(apiVersion, kind, path);
      const reported = lintText(stringify(object), { rules: [rule], config: exempted }).findings.length > 0;
      assert.equal(reported, kind === 'Rollout');
      assert.equal(judge(withExemption, object).denials.length > 0, reported, `${kind} (${format}) with an exemption of kind Service`);
    }
  }
});

test('a long-lived token Secret is denied with the diagnostic\'s words: the account its annotation names, or none', () => {
  const config: EngineConfig = { profile: 'restricted', rules: {} };
  const secret = (annotations?: Record<string, string>) => ({
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'ci-token', namespace: 'build', ...(annotations ? { annotations } : {}) },
  });
  for (const { format, documents } of policiesOf(RULES.find((r) => r.meta.id === 'legacy-service-account-token-secret')!, config)) {
    assert.deepEqual(judge(documents, secret({ 'kubernetes.io/service-account.name': 'ci' })).denials.map((d) => d.split('. ')[0]), ['Secret ci-token holds a long-lived token for ServiceAccount ci'], format);
    assert.deepEqual(judge(documents, secret()).denials.map((d) => d.split('. ')[0]), ['Secret ci-token holds a long-lived token for a ServiceAccount (no annotation names it)'], format);
  }
});
