// Fixes a rule gives as a function (`Report.fixes`) are built only when read, once, in file
// offsets; linting, copies and worker messages never build them; fix-all builds only the
// selected findings' fixes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine, lintText } from '../../server/src/engine/engine';
import { withFields } from '../../server/src/engine/finding';
import { defineRule, type FixSpec, type Rule } from '../../server/src/engine/rule';
import { applyEdits } from '../../server/src/edits/offset-edit';
import { Workspace } from '../../server/src/workspace/workspace';

const PODS = `apiVersion: v1
kind: ConfigMap
metadata: {name: first}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  containers: [{name: c, image: x}]
`;

/** Reports every Pod's name; its fix (built lazily, counted) uppercases the name. */
function countingRule(calls: string[], build: (name: string, node: { range?: [number, number, number] | null }) => FixSpec[] = upper): Rule {
  return defineRule({
    meta: { id: 'lazy', title: 'Lazy', principle: 'least-privilege', severity: 'warning', kinds: ['Pod'], docs: { what: '', why: '', fix: '', peers: {} } },
    check(resource, { report }) {
      const node = resource.metadata!.get('name')!;
      report({
        node,
        message: `pod ${resource.name}`,
        fixes: () => {
          calls.push(resource.name);
          return build(resource.name, node);
        },
      });
    },
  });
}

function upper(name: string, node: { range?: [number, number, number] | null }): FixSpec[] {
  return [{ title: `Uppercase ${name}`, edits: [{ start: node.range![0], end: node.range![1], text: name.toUpperCase() }] }];
}

const config = { profile: 'restricted' as const, rules: { lazy: 'warning' as const } };

describe('lazy fixes', () => {
  test('linting does not build them; reading builds them once, in file offsets', () => {
    const calls: string[] = [];
    const { findings } = lintText(PODS, { rules: [countingRule(calls)], config });
    assert.equal(findings.length, 2);
    assert.deepEqual(calls, []);
    const fixed = applyEdits(PODS, findings[1].fixes[0].edits);
    assert.deepEqual(calls, ['b']);
    assert.match(fixed, /metadata: \{name: B\}/);
    assert.match(fixed, /metadata: \{name: a\}/);
    findings[1].fixes;
    assert.deepEqual(calls, ['b'], 'built once');
  });

  test('copies, JSON and worker messages leave them out; withFields keeps them unbuilt', () => {
    const calls: string[] = [];
    const [finding] = lintText(PODS, { rules: [countingRule(calls)], config }).findings;
    assert.equal(JSON.stringify(finding).includes('fixes'), false);
    assert.equal('fixes' in structuredClone(finding), false);
    const copy = withFields(finding, { message: 'copied' });
    assert.deepEqual(calls, []);
    assert.equal(copy.fixes[0].title, 'Uppercase a');
    assert.equal(finding.fixes, copy.fixes, 'the copy shares what was built');
    assert.deepEqual(calls, ['a']);
  });

  test('a reused (cached) result builds its fixes once; an edit of another document shifts them', () => {
    const calls: string[] = [];
    const engine = new Engine(new Workspace(), config, [countingRule(calls)]);
    engine.workspace.setFile('file:///p.yaml', PODS);
    const before = engine.lint('file:///p.yaml').findings[1];
    assert.equal(before.fixes.length, 1);
    const longer = PODS.replace('name: first', 'name: first-and-longer');
    engine.workspace.setFile('file:///p.yaml', longer);
    const after = engine.lint('file:///p.yaml').findings[1];
    assert.match(applyEdits(longer, after.fixes[0].edits), /metadata: \{name: B\}/);
    assert.deepEqual(calls, ['b'], 'the unchanged document kept its report and what it built');
  });

  test('a fix that edits another document of the file is rebuilt when that document changes where no signature sees it', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: pay}
spec:
  selector: {matchLabels: {app: pay}}
  template:
    metadata: {labels: {app: pay}}
    spec:
      serviceAccountName: pay
      containers: [{name: c, image: x}]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: pay
`;
    const accountFix = (engine: Engine | undefined, current: string) => {
      const findings = engine ? engine.lint('file:///pay.yaml').findings : lintText(current, { uri: 'file:///pay.yaml' }).findings;
      const finding = findings.find((f) => f.ruleId === 'service-account-token-automount')!;
      return finding.fixes.find((f) => f.title.includes('on ServiceAccount'))!.edits;
    };
    const engine = new Engine(new Workspace());
    engine.workspace.setFile('file:///pay.yaml', text);
    accountFix(engine, text);
    // A key the ServiceAccount's projections do not hold: its signature, and so the workload's cached result, stay the same.
    const longer = `${text}unrelated: {a: 1}\n`;
    engine.workspace.setFile('file:///pay.yaml', longer);
    assert.deepEqual(accountFix(engine, longer), accountFix(undefined, longer));
  });

  test('fix-all builds only the fixes of the findings it selects', () => {
    const calls: string[] = [];
    const engine = new Engine(new Workspace(), config, [countingRule(calls)]);
    engine.workspace.setFile('file:///p.yaml', PODS);
    const edit = engine.fixAll('file:///p.yaml', (f) => f.message === 'pod a');
    assert.ok(edit);
    assert.match(applyEdits(PODS, [edit]), /name: A\}[\s\S]*name: b\}/);
    assert.equal(calls.includes('b'), false);
  });

  test('a fix function that throws gives no fixes; the finding stays', () => {
    const rule = countingRule([], () => {
      throw new Error('broken fix');
    });
    const { findings, failures } = lintText(PODS, { rules: [rule], config });
    assert.equal(findings.length, 2);
    assert.deepEqual(failures, []);
    assert.deepEqual(findings[0].fixes, []);
  });
});
