// The RBAC fixes the rule cases do not reach (the harness applies only the first fix of the
// first finding): each one is applied, the result must be exact, valid YAML, keep every
// comment, and re-lint without the finding it fixed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { lintText } from '../../../server/src/engine/engine';
import type { Rule } from '../../../server/src/engine/rule';
import { applyEdits } from '../../../server/src/edits/offset-edit';
import automount from '../../../rules/service-account-token-automount';
import defaultServiceAccount from '../../../rules/default-service-account';
import anonymous from '../../../rules/rbac-binding-to-anonymous';
import escalation from '../../../rules/rbac-privilege-escalation';
import wildcard from '../../../rules/rbac-wildcard';

const URI = 'file:///manifest.yaml';

function lint(rule: Rule, text: string, files: Record<string, string> = {}) {
  return lintText(text, { uri: URI, rules: [rule], config: { profile: 'restricted', rules: { [rule.meta.id]: rule.meta.severity } }, files }).findings;
}

const comments = (text: string) => text.split(/\r?\n/).filter((l) => l.trim().startsWith('#')).map((l) => l.trim());

/** Applies the fix titled `title` (a prefix) of the finding at `line`, checks the result, and returns it. */
function applyFix(rule: Rule, text: string, line: number, title: string, files: Record<string, string> = {}): string {
  const findings = lint(rule, text, files);
  const finding = findings.find((f) => f.range.start.line === line);
  assert.ok(finding, `no finding on line ${line}: ${findings.map((f) => f.range.start.line).join(', ')}`);
  const fix = finding.fixes.find((f) => f.title.startsWith(title));
  assert.ok(fix, `no fix "${title}" among ${finding.fixes.map((f) => f.title).join(' | ')}`);
  const fixed = applyEdits(text, fix.edits);
  for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], `invalid YAML:\n${fixed}`);
  for (const comment of comments(text)) assert.ok(comments(fixed).includes(comment), `comment lost: ${comment}`);
  const after = lint(rule, fixed, files);
  assert.ok(!after.some((f) => f.message === finding.message && f.range.start.line === line), `the finding is still there:\n${fixed}`);
  assert.ok(after.length < findings.length, 'the fix did not remove its finding');
  return fixed;
}

describe('rbac-wildcard fixes', () => {
  const ROLE = `kind: Role
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: operator}
rules:
  # the operator owns its StatefulSets
  - apiGroups: [apps]
    resources: [statefulsets]
    verbs:
      - '*'
`;
  test('"Replace * with the standard verbs" spells them out in block style', () => {
    assert.equal(
      applyFix(wildcard, ROLE, 8, 'Replace * with the standard verbs'),
      ROLE.replace("      - '*'\n", ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'].map((v) => `      - ${v}\n`).join('')),
    );
  });
  test('read-only when get, list and watch are already listed: the `*` item is removed', () => {
    const text = 'kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules:\n  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get, "*", list, watch]   # read\n';
    assert.equal(applyFix(wildcard, text, 6, 'Restrict verbs to read-only'), text.replace('[get, "*", list, watch]', '[get, list, watch]'));
  });
  test('flow verbs: the explicit verbs replace the `*` in place', () => {
    const text = 'kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [pods], verbs: ["*"]}]\n';
    assert.equal(applyFix(wildcard, text, 3, 'Replace * with the standard verbs'), text.replace('["*"]', '[get, list, watch, create, update, patch, delete, deletecollection]'));
  });
  test('no fix for `*` resources when nothing shows which resources are meant', () => {
    const [finding] = lint(wildcard, 'kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules: [{apiGroups: [metrics.k8s.io], resources: ["*"], verbs: [get]}]\n');
    assert.deepEqual(finding.fixes, []);
  });
});

describe('rbac-privilege-escalation fix', () => {
  test('flow verbs: escalate and bind removed in one edit, get kept', () => {
    const text = 'kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules:\n  - {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, get, bind]}\n';
    assert.equal(applyFix(escalation, text, 4, 'Remove escalate/bind/impersonate'), text.replace('[escalate, get, bind]', '[get]'));
  });
  test('impersonation that only a `*` verb grants is rbac-wildcard\'s one finding, which names it and offers the verb lists', () => {
    const text = 'kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [serviceaccounts], verbs: ["*"]}]\n';
    assert.deepEqual(lint(escalation, text), []);
    const [finding] = lint(wildcard, text);
    assert.match(finding.message, /which includes impersonate, /);
    assert.deepEqual(finding.fixes.map((f) => f.title.split(' (')[0].split(':')[0]), ['Restrict verbs to read-only', 'Replace * with the standard verbs']);
  });
});

describe('rbac-binding-to-anonymous fix', () => {
  test('removing the only subject leaves a valid binding without subjects', () => {
    const text = 'kind: ClusterRoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\n# who gets it\nsubjects:\n  - kind: Group\n    name: system:unauthenticated\n';
    assert.equal(applyFix(anonymous, text, 7, 'Remove subject'), text.replace('  - kind: Group\n    name: system:unauthenticated\n', ''));
  });
});

describe('service-account-token-automount: the fix on the ServiceAccount', () => {
  const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api   # the API server identity\n';
  const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: api:1}]
`;
  test('a ServiceAccount earlier in the same file', () => {
    const text = `${SA}---\n${DEPLOYMENT}`;
    assert.equal(applyFix(automount, text, 13, 'Set automountServiceAccountToken: false on ServiceAccount api'), text.replace('the API server identity\n', 'the API server identity\nautomountServiceAccountToken: false\n'));
  });
  test('a ServiceAccount later in the same file, CRLF', () => {
    const text = `${DEPLOYMENT}---\n${SA}`.replace(/\n/g, '\r\n');
    assert.equal(applyFix(automount, text, 8, 'Set automountServiceAccountToken: false on ServiceAccount api'), `${text}automountServiceAccountToken: false\r\n`);
  });
  test('not offered when the ServiceAccount is in another file, or when the pod sets true itself', () => {
    const [other] = lint(automount, DEPLOYMENT, { 'file:///sa.yaml': SA });
    assert.deepEqual(other.fixes.map((f) => f.title), ['Set automountServiceAccountToken: false on the pod spec']);
    const [own] = lint(automount, `${SA}---\n${DEPLOYMENT.replace('serviceAccountName: api', 'serviceAccountName: api\n      automountServiceAccountToken: true')}`);
    assert.deepEqual(own.fixes.map((f) => f.title), ['Set automountServiceAccountToken: false on the pod spec']);
  });
});

describe('default-service-account: the dedicated ServiceAccount fix', () => {
  test('last document without a trailing newline: the name and the new document land in order', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: tools\nspec:\n  containers:\n  - name: sh\n    image: busybox';
    assert.equal(
      applyFix(defaultServiceAccount, text, 5, 'Create a dedicated ServiceAccount'),
      `${text}\n  serviceAccountName: debug\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: debug\n  namespace: tools\nautomountServiceAccountToken: false\n`,
    );
  });
  test('the deprecated serviceAccount field is rewritten too', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: old}\nspec:\n  serviceAccount: default\n  containers: [{name: c, image: i}]\n';
    const fixed = applyFix(defaultServiceAccount, text, 4, 'Create a dedicated ServiceAccount');
    assert.match(fixed, /serviceAccount: old\n/);
    assert.match(fixed, /serviceAccountName: old\n/);
  });
});
