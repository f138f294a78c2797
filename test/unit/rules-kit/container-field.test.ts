// The container-field template (server/src/rules-kit/container-field.ts): a rule built on it denies at
// admission with the very message its diagnostic gives (the parity test already holds that it denies
// exactly what it reports).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RULES } from '../../../rules';
import { lintText } from '../../../server/src/engine/engine';
import { defineRule, type RuleCases } from '../../../server/src/engine/rule';
import { WORKLOAD_KINDS } from '../../../server/src/model/pod-spec';
import { exportPolicies } from '../../../server/src/export-policy/export-policies';
import { containerFieldRule } from '../../../server/src/rules-kit/container-field';
import { judge } from '../export-policy/evaluate-policy';

const BUILT_ON_THE_TEMPLATE = ['privilege-escalation-allowed', 'privileged-container', 'proc-mount-unmasked', 'windows-host-process', 'writable-root-filesystem'];

for (const id of BUILT_ON_THE_TEMPLATE) {
  test(`${id}: every denial is the message of one of the findings`, async () => {
    const rule = RULES.find((r) => r.meta.id === id)!;
    const { cases } = (await import(join(__dirname, '..', '..', '..', 'rules', `${id}.ts`))) as { cases: RuleCases };
    let denials = 0;
    for (const c of cases.invalid) {
      const config = { profile: c.profile ?? ('restricted' as const), rules: { [id]: rule.meta.severity } };
      const policies = parseAllDocuments(exportPolicies({ format: 'validating-admission-policy', rules: [rule], config }).yaml).map((d) => d.toJS() as Record<string, any>);
      const { findings } = lintText(c.yaml, { rules: [rule], config });
      parseAllDocuments(c.yaml).forEach((doc, index) => {
        const object = doc.toJS() as Record<string, any> | null;
        if (!object || typeof object.kind !== 'string' || object.kind.endsWith('List')) return;
        const messages = findings.filter((f) => f.docIndex === index).map((f) => f.message);
        for (const denial of judge(policies, object).denials) {
          denials++;
          assert.ok(messages.includes(denial), `${c.name}: the denial "${denial}" is none of the findings' messages:\n${messages.join('\n')}`);
        }
      });
    }
    assert.ok(denials > 0, 'the cases give denials to compare');
  });
}

test('a template that would report without a message for it is refused when the rule is built', () => {
  assert.throws(() => containerFieldRule({ field: ['readOnlyRootFilesystem'], expect: { mustBe: true }, messages: { wrongValue: 'wrong' } }, { wrong: '{{container}}: {{value}}' }), /messages\.unset is needed/);
  assert.throws(() => containerFieldRule({ field: ['privileged'], expect: { mustNotBe: true }, podDefault: true, messages: { wrongValue: 'wrong' } }, { wrong: '{{container}}' }), /messages\.pod is needed/);
});

test('a pod-level default that must be set: a wrong default is the pod\'s one finding, a container\'s own value wins, and admission agrees', () => {
  const messages = { wrong: '{{container}} sets runAsNonRoot: {{value}}.', unset: '{{container}} does not set runAsNonRoot.', pod: 'The pod sets runAsNonRoot: {{value}}.' };
  const field = containerFieldRule({ field: ['runAsNonRoot'], expect: { mustBe: true }, podDefault: true, messages: { wrongValue: 'wrong', unset: 'unset', pod: 'pod' } }, messages);
  const rule = defineRule({
    meta: { id: 'non-root-example', title: 'Example', principle: 'least-privilege', severity: 'warning', kinds: WORKLOAD_KINDS, messages, admission: field.admission, docs: { what: '', why: '', fix: '', peers: {} } },
    check: field.check,
  });
  const pod = (podLevel: string, ...containers: string[]) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {${podLevel}}\n  containers:\n${containers.map((c, i) => `    - {name: c${i}, image: x, securityContext: {${c}}}\n`).join('')}`;
  const config = { profile: 'restricted' as const, rules: { 'non-root-example': 'warning' as const } };
  const policies = parseAllDocuments(exportPolicies({ format: 'validating-admission-policy', rules: [rule], config }).yaml).map((d) => d.toJS() as Record<string, any>);
  const expectations: Array<[string, string[]]> = [
    [pod('runAsNonRoot: false', '', 'runAsNonRoot: true', 'runAsNonRoot: "yes"'), ['The pod sets runAsNonRoot: false.', 'Container "c2" sets runAsNonRoot: "yes".']],
    [pod('runAsNonRoot: true', '', 'runAsNonRoot: false'), ['Container "c1" sets runAsNonRoot: false.']],
    [pod('', '', 'runAsNonRoot: true'), ['Container "c0" does not set runAsNonRoot.']],
    [pod('runAsNonRoot: true', '', 'runAsNonRoot: true'), []],
  ];
  for (const [yaml, expected] of expectations) {
    const found = lintText(yaml, { rules: [rule], config }).findings.map((f) => f.message);
    assert.deepEqual(found, expected, yaml);
    const denials = judge(policies, parseAllDocuments(yaml)[0].toJS()).denials;
    assert.equal(denials.length > 0, expected.length > 0, yaml);
    for (const denial of denials) assert.ok(expected.includes(denial), `${denial} in ${expected.join(' | ')}`);
  }
});
