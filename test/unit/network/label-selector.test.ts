// Label selector semantics of k8s.io/apimachinery/pkg/labels, as NetworkPolicies use them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeSelector, matchesLabels, mayMatchLabels, parseSelector, selectsAll } from '../../../server/src/analysis/network/label-selector';
import { resourcesOf } from './helpers';

/** Parses `selector` (flow YAML) as the podSelector of a NetworkPolicy. */
function selector(flow: string) {
  const [policy] = resourcesOf(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: ${flow}\n`);
  return parseSelector(policy.root.map('spec')?.map('podSelector'));
}

const WEB = { app: 'web', tier: 'frontend' };

describe('label selector', () => {
  const table: Array<[string, string, Record<string, string>, boolean]> = [
    ['empty selector selects everything', '{}', WEB, true],
    ['empty selector selects unlabelled pods too', '{}', {}, true],
    ['matchLabels: all must equal', '{matchLabels: {app: web, tier: frontend}}', WEB, true],
    ['matchLabels: one differs', '{matchLabels: {app: web, tier: backend}}', WEB, false],
    ['matchLabels: key missing', '{matchLabels: {env: prod}}', WEB, false],
    ['In: value in the set', '{matchExpressions: [{key: tier, operator: In, values: [backend, frontend]}]}', WEB, true],
    ['In: key missing', '{matchExpressions: [{key: env, operator: In, values: [prod]}]}', WEB, false],
    ['NotIn: value outside the set', '{matchExpressions: [{key: tier, operator: NotIn, values: [backend]}]}', WEB, true],
    ['NotIn: value in the set', '{matchExpressions: [{key: tier, operator: NotIn, values: [frontend]}]}', WEB, false],
    ['NotIn: a missing key matches', '{matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}', WEB, true],
    ['Exists', '{matchExpressions: [{key: app, operator: Exists}]}', WEB, true],
    ['Exists: key missing', '{matchExpressions: [{key: env, operator: Exists}]}', WEB, false],
    ['DoesNotExist', '{matchExpressions: [{key: env, operator: DoesNotExist}]}', WEB, true],
    ['DoesNotExist: key present', '{matchExpressions: [{key: app, operator: DoesNotExist}]}', WEB, false],
    ['matchLabels AND matchExpressions', '{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [backend]}]}', WEB, false],
    ['a null label value is the empty string', '{matchLabels: {canary: }}', { canary: '' }, true],
    ['a number label value compares as text', '{matchLabels: {version: 2}}', { version: '2' }, true],
    ['unknown operator: rejected by the API server, selects nothing', '{matchExpressions: [{key: app, operator: Equals, values: [web]}]}', WEB, false],
    ['In without values: invalid, selects nothing', '{matchExpressions: [{key: app, operator: In, values: []}]}', WEB, false],
    ['Exists with values: invalid, selects nothing', '{matchExpressions: [{key: app, operator: Exists, values: [web]}]}', WEB, false],
  ];
  for (const [name, flow, labels, expected] of table) {
    test(name, () => assert.equal(matchesLabels(selector(flow), labels), expected));
  }

  test('a null (absent) selector selects nothing; only a valid empty one selects all', () => {
    assert.equal(matchesLabels(undefined, WEB), false);
    assert.equal(selectsAll(selector('{}')), true);
    assert.equal(selectsAll(selector('{matchLabels: {}}')), true);
    assert.equal(selectsAll(selector('{matchExpressions: [{key: a, operator: Exists}]}')), false);
    assert.equal(selectsAll(selector('{matchExpressions: [{key: a, operator: Bogus}]}')), false);
  });

  test('an alias resolves as Kubernetes decodes it', () => {
    const [policy] = resourcesOf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  labels: &labels {app: web, tier: frontend}
spec:
  podSelector:
    matchLabels: *labels
`);
    assert.equal(matchesLabels(parseSelector(policy.root.map('spec')?.map('podSelector')), { app: 'web', tier: 'backend' }), false);
    assert.equal(matchesLabels(parseSelector(policy.root.map('spec')?.map('podSelector')), WEB), true);
  });

  test('may match an object only partly known: unknown labels can hold anything, known ones one of their values', () => {
    // kube-dns pods: k8s-app is kube-dns or coredns, nothing else is known; a namespace whose labels are all known.
    const dnsPod = (key: string) => (key === 'k8s-app' ? ['kube-dns', 'coredns'] : undefined);
    const known = (key: string) => (key === 'kubernetes.io/metadata.name' ? ['kube-system'] : []);
    const cases: Array<[string, (key: string) => readonly string[] | undefined, boolean]> = [
      ['{matchLabels: {k8s-app: coredns}}', dnsPod, true],
      ['{matchLabels: {k8s-app: web}}', dnsPod, false],
      ['{matchLabels: {k8s-app: kube-dns, app.kubernetes.io/name: coredns}}', dnsPod, true],
      ['{matchExpressions: [{key: k8s-app, operator: NotIn, values: [kube-dns]}]}', dnsPod, true],
      ['{matchExpressions: [{key: k8s-app, operator: DoesNotExist}]}', dnsPod, false],
      ['{matchLabels: {name: kube-system}}', known, false],
      ['{matchExpressions: [{key: name, operator: DoesNotExist}]}', known, true],
      ['{matchLabels: {kubernetes.io/metadata.name: kube-system}}', known, true],
      ['{matchExpressions: [{key: k8s-app, operator: Bogus}]}', dnsPod, false],
    ];
    for (const [flow, knowledge, expected] of cases) assert.equal(mayMatchLabels(selector(flow), knowledge), expected, flow);
  });

  test('described in kubectl notation', () => {
    assert.equal(
      describeSelector(selector('{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [a, b]}, {key: env, operator: NotIn, values: [dev]}, {key: x, operator: Exists}, {key: y, operator: DoesNotExist}]}')!),
      'app=web, tier in (a, b), env notin (dev), x, !y',
    );
  });
});
