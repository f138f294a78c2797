// The API resources the policies match: every kind the model knows with a pod template has one,
// configured kinds take theirs from `resource` or a known kind, and resource rules name each once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_POD_TEMPLATES } from '../../../server/src/model/pod-templates';
import { apiResourceOf, resourceRules } from '../../../server/src/export-policy/api-resources';
import { podKinds } from '../../../server/src/export-policy/pod-variables';

test('every built-in kind with a pod template has an API resource in the groups the API server serves', () => {
  for (const { kind, groups } of BUILT_IN_POD_TEMPLATES) {
    // `extensions` is no longer served: its requests reach the policies as `apps` (matchPolicy Equivalent).
    const served = groups.filter((group) => group !== 'extensions');
    assert.ok(served.length > 0 && served.every((group) => apiResourceOf(group, kind)), `${kind} (${groups.join(', ')})`);
  }
  assert.equal(apiResourceOf('', 'Service')?.resource, 'services');
  assert.equal(apiResourceOf('serving.knative.dev', 'Service')?.resource, 'services');
  assert.equal(apiResourceOf('example.com', 'Service'), undefined);
});

test('configured kinds: resource as given, else the resource of a kind the export knows, else not judged', () => {
  const { kinds, unknown } = podKinds([
    { apiVersion: 'example.com/v1', kind: 'WebApp', path: 'spec.runtime.template', resource: 'webapps' },
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', path: 'spec.template' },
    { apiVersion: 'example.com/*', kind: 'Batch', path: 'spec.template' },
  ]);
  assert.deepEqual(kinds.slice(0, 2), [
    { group: 'example.com', version: 'v1', kind: 'WebApp', resource: 'webapps', path: ['spec', 'runtime', 'template'] },
    { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', resource: 'rollouts', path: ['spec', 'template'] },
  ]);
  assert.deepEqual(unknown.map((k) => k.kind), ['Batch']);
  // The configured Rollout version is covered by the built-in rule for every version: one rule each.
  assert.deepEqual(
    resourceRules(kinds).filter((rule) => ['example.com', 'argoproj.io'].includes(rule.apiGroups[0])),
    [
      { apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['webapps'] },
      { apiGroups: ['argoproj.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['rollouts'] },
    ],
  );
});
