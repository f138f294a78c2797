// Parity of the exported admission policies with the rules: for every rule with an admission
// check, each of its valid and invalid cases and every document of the examples, at the case's
// profile, in both formats: a policy denies an object exactly when the rule reports it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { lintText } from '../../../server/src/engine/engine';
import { isListKind } from '../../../server/src/model/resource';
import type { EngineConfig } from '../../../server/src/engine/config';
import { ruleProfiles, type Rule, type RuleCases } from '../../../server/src/engine/rule';
import { exportPolicies, POLICY_FORMATS } from '../../../server/src/export-policy/export-policies';
import { RULES } from '../../../rules';
import { apiResourceOf } from '../../../server/src/export-policy/api-resources';
import { judge, sameGroup } from './evaluate-policy';

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

function checkParity(rule: Rule, text: string, config: EngineConfig, files?: Record<string, string>): void {
  const policies = policiesOf(rule, config);
  for (const { object, reported: isReported } of reported(rule, text, config, files)) {
    if (!object || typeof object !== 'object' || typeof object.kind !== 'string') continue;
    // A check that judges fewer kinds than its rule leaves the others (they need other resources) to the editor.
    if (rule.meta.admission!.kinds && !rule.meta.admission!.kinds.includes(object.kind)) continue;
    // Kinds the export has no API resource for (Argo Rollouts, Knative, KEDA, OpenShift, configured CRDs) are left to the editor.
    const api = apiResourceOf(object.kind);
    if (!api || !sameGroup(api.group, String(object.apiVersion ?? '').includes('/') ? String(object.apiVersion).split('/')[0] : '')) continue;
    for (const { format, documents } of policies) {
      const verdict = judge(documents, object);
      const name: string = `${object.kind} ${object.metadata?.name ?? ''} (${format})`;
      assert.equal(verdict.denials.length > 0, isReported, isReported ? `${name}: the rule reports it, the policy admits it` : `${name}: the policy denies it (${verdict.denials.join('; ')}), the rule reports nothing`);
    }
  }
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
          // Exemptions naming containers exempt exactly the findings that have the container as their target.
          if (rule.meta.admission!.subject === 'pod') checkParity(rule, c.yaml, { ...config, exemptions: CONTAINER_EXEMPTIONS }, c.workspace);
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
    ['hardcoded-credential', pod, ['Container "app" sets env DB_PASSWORD to a literal credential:', 'Container "app" passes a literal credential on its command line']],
    ['credential-in-configmap', configMap, ['ConfigMap key api.token holds a literal credential:']],
  ] as const) {
    for (const { format, documents } of policiesOf(RULES.find((r) => r.meta.id === id)!, config)) {
      const { denials } = judge(documents, object);
      assert.equal(denials.length, expected.length, `${id} (${format}): ${denials.join('; ')}`);
      expected.forEach((start, i) => assert.ok(denials[i].startsWith(start), denials[i]));
      assert.ok(denials.every((d) => !d.includes(secret) && !d.includes(token)), `${id} (${format}) shows the value`);
    }
  }
});
