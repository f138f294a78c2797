// RBAC rule matching as the API server evaluates it (RuleAllows): verbs, API groups,
// resources and subresources, resourceNames, non-resource URLs, and `*` in each position.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { grantedRequests, isAdminEquivalent, offendingItem, POD_EXEC, SECRETS_READ, ESCALATION_VERBS, withoutWildcards, WORKLOAD_CREATION } from '../../../server/src/analysis/rbac/permissions';
import { allowsNonResource, allowsResource, readRules, rule, urlRule, type ResourceRequest } from '../../../server/src/analysis/rbac/policy-rule';
import { MapView, YamlContext } from '../../../server/src/model/yaml-view';

const req = (verb: string, group: string, path: string, name?: string): ResourceRequest => {
  const [resource, subresource] = path.split('/');
  return { verb, group, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}) };
};

describe('resource requests', () => {
  const cases: Array<[string, ReturnType<typeof rule>, ResourceRequest, boolean]> = [
    ['exact verb, group and resource', rule([''], ['secrets'], ['get']), req('get', '', 'secrets'), true],
    ['another verb', rule([''], ['secrets'], ['get']), req('list', '', 'secrets'), false],
    ['another group with the same resource name', rule(['external-secrets.io'], ['secrets'], ['get']), req('get', '', 'secrets'), false],
    ['no apiGroups matches nothing', rule([], ['secrets'], ['get']), req('get', '', 'secrets'), false],
    ['verbs are case-sensitive', rule([''], ['secrets'], ['GET']), req('get', '', 'secrets'), false],
    ['`*` verb', rule([''], ['secrets'], ['*']), req('deletecollection', '', 'secrets'), true],
    ['`*` group', rule(['*'], ['deployments'], ['get']), req('get', 'apps', 'deployments'), true],
    ['`*` resource', rule(['apps'], ['*'], ['get']), req('get', 'apps', 'statefulsets'), true],
    ['`*` resource includes subresources', rule([''], ['*'], ['create']), req('create', '', 'pods/exec'), true],
    ['a resource does not include its subresources', rule([''], ['pods'], ['create']), req('create', '', 'pods/exec'), false],
    ['a subresource does not include its resource', rule([''], ['pods/exec'], ['create']), req('create', '', 'pods'), false],
    ['exact subresource', rule([''], ['pods/exec'], ['create']), req('create', '', 'pods/exec'), true],
    ['`*/scale` matches the scale of any resource', rule(['apps'], ['*/scale'], ['update']), req('update', 'apps', 'deployments/scale'), true],
    ['`*/scale` does not match the resource itself', rule(['apps'], ['*/scale'], ['update']), req('update', 'apps', 'deployments'), false],
    ['`pods/*` is not a pattern', rule([''], ['pods/*'], ['create']), req('create', '', 'pods/exec'), false],
    ['resourceNames admit the named object', rule([''], ['secrets'], ['get'], ['tls']), req('get', '', 'secrets', 'tls'), true],
    ['resourceNames reject other objects', rule([''], ['secrets'], ['get'], ['tls']), req('get', '', 'secrets', 'db'), false],
    ['resourceNames reject requests without a name (list, create)', rule([''], ['secrets'], ['list', 'create'], ['tls']), req('list', '', 'secrets'), false],
    ['`*` in resourceNames is a literal name', rule([''], ['secrets'], ['get'], ['*']), req('get', '', 'secrets', 'db'), false],
  ];
  for (const [name, r, request, expected] of cases) test(name, () => assert.equal(allowsResource(r, request), expected));
});

describe('non-resource requests', () => {
  const cases: Array<[string, string[], string, string, boolean]> = [
    ['exact path', ['/metrics'], 'get', '/metrics', true],
    ['another path', ['/metrics'], 'get', '/healthz', false],
    ['trailing `*` is a prefix match', ['/healthz/*'], 'get', '/healthz/etcd', true],
    ['the prefix must match up to the `*`', ['/healthz/*'], 'get', '/healthz', false],
    ['`*` alone matches every path', ['*'], 'get', '/anything', true],
    ['a `*` inside the path is literal', ['/api/*/status'], 'get', '/api/v1/status', false],
  ];
  for (const [name, urls, verb, path, expected] of cases) test(name, () => assert.equal(allowsNonResource(urlRule(urls, ['get']), { verb, path }), expected));
  test('a resource rule never matches a path', () => assert.equal(allowsNonResource(rule(['*'], ['*'], ['*']), { verb: 'get', path: '/metrics' }), false));
});

describe('permissions', () => {
  test('cluster-scoped requests are not granted in a namespace scope (Role, RoleBinding)', () => {
    const nodesProxy = rule([''], ['nodes/proxy'], ['get']);
    assert.equal(grantedRequests(nodesProxy, POD_EXEC, 'cluster').length, 1);
    assert.equal(grantedRequests(nodesProxy, POD_EXEC, 'namespace').length, 0);
  });
  test('escalation verbs count even when limited to named roles; secrets reading does not', () => {
    assert.ok(grantedRequests(rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], ['view']), ESCALATION_VERBS, 'cluster').length > 0);
    assert.equal(grantedRequests(rule([''], ['secrets'], ['get', 'list'], ['tls']), SECRETS_READ, 'cluster').length, 0);
  });
  test('equivalent to cluster-admin: every standard verb on `*` of `*`, in one rule or several, without resourceNames', () => {
    assert.ok(isAdminEquivalent([rule(['*'], ['*'], ['*'])]));
    const standard = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    assert.ok(isAdminEquivalent([rule(['*'], ['*'], standard)]), 'escalate, bind and impersonate are not needed');
    assert.ok(isAdminEquivalent([rule(['*'], ['*'], ['get', 'list', 'watch']), rule(['*'], ['*'], ['create', 'update', 'patch', 'delete', 'deletecollection'])]), 'spread over two rules');
    assert.ok(!isAdminEquivalent([rule(['*'], ['*'], standard.filter((v) => v !== 'deletecollection'))]), 'one standard verb missing');
    assert.ok(!isAdminEquivalent([rule(['*'], ['*'], ['get'])]));
    assert.ok(!isAdminEquivalent([rule([''], ['*'], ['*'])]), 'the core group only');
    assert.ok(!isAdminEquivalent([rule(['*'], ['pods', 'secrets'], ['*'])]), 'listed resources');
    assert.ok(!isAdminEquivalent([rule(['*'], ['*'], ['*'], ['x'])]), 'resourceNames');
  });
  test('without its wildcards a rule grants only what it names', () => {
    assert.equal(grantedRequests(withoutWildcards(rule(['*'], ['secrets'], ['get'])), SECRETS_READ, 'cluster').length, 0);
    assert.equal(grantedRequests(withoutWildcards(rule(['', '*'], ['secrets', '*'], ['get', '*'])), SECRETS_READ, 'cluster').length, 1);
    assert.equal(grantedRequests(withoutWildcards(rule([''], ['*/exec'], ['create'])), POD_EXEC, 'cluster').length, 1, '`*/exec` names a subresource');
  });
  test('updating or patching a pod template counts as workload creation, even for one named object', () => {
    assert.deepEqual(grantedRequests(rule(['apps'], ['deployments'], ['patch'], ['web']), WORKLOAD_CREATION, 'namespace').map((r) => `${r.verb} ${r.resource}`), ['patch deployments']);
    assert.equal(grantedRequests(rule(['apps'], ['deployments'], ['create'], ['web']), WORKLOAD_CREATION, 'namespace').length, 0, 'a create request names no object');
    assert.equal(grantedRequests(rule(['apps'], ['deployments/scale'], ['patch']), WORKLOAD_CREATION, 'namespace').length, 0, 'scaling changes no template');
  });
  test('a finding points at the item that grants explicitly: never a `*`', () => {
    const text = 'rules:\n- apiGroups: [""]\n  resources: [configmaps, "*/exec"]\n  verbs: [get, "*"]\n';
    const doc = parseDocument(text);
    const [written] = readRules(new MapView(doc.contents as never, new YamlContext(doc as never, text)));
    const exec = grantedRequests(written, POD_EXEC, 'namespace');
    assert.equal(String((offendingItem(written, POD_EXEC, exec) as { value: unknown }).value), '*/exec');
    assert.equal(written.items('verbs')[1].index, 1);
  });
});
