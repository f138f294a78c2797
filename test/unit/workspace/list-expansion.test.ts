// A List document (`kind: List`, `DeploymentList`…) is the objects of its `items`: each is a
// resource of its own everywhere (rules, analyses, signatures, extracts), with its own findings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lintText } from '../../../server/src/engine/engine';
import { applyEdits } from '../../../server/src/edits/offset-edit';
import { Workspace } from '../../../server/src/workspace/workspace';
import { extractResource, hydrateResource } from '../../../server/src/workspace/resource-extract';
import { signatureToken } from '../../../server/src/workspace/cross-signature';

const LIST = `apiVersion: v1
kind: List
metadata: {resourceVersion: ""}
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: api, namespace: shop}
- not an object
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api, namespace: shop, labels: {app: api}}
  spec:
    template:
      metadata: {labels: {app: api}}
      spec:
        serviceAccountName: api
        containers: [{name: api, image: api:1}]
`;

describe('List documents', () => {
  test('each object of `items` is a resource (the List itself is not), knowing its item index', () => {
    const resources = new Workspace().setFile('file:///list.yaml', LIST).resources;
    assert.deepEqual(
      resources.map((r) => [r.label, r.namespace, r.docIndex, r.item]),
      [
        ['ServiceAccount/api', 'shop', 0, 0],
        ['Deployment/api', 'shop', 0, 2],
      ],
    );
    const deployment = resources[1];
    assert.equal(deployment.podSpec?.spec.string('serviceAccountName'), 'api');
    assert.deepEqual(deployment.labels, { app: 'api' });
    assert.equal(LIST.slice(...deployment.span).split('\n')[0], 'apiVersion: apps/v1');
  });

  test('an item rebuilt from its extract (JSON, or its document\'s text when it has aliases) is the same object', () => {
    for (const text of [LIST, LIST.replace('{labels: {app: api}}\n      spec', '{labels: &l {app: api}}\n      x: *l\n      spec')]) {
      const [, deployment] = new Workspace().setFile('file:///list.yaml', text).resources;
      const extract = structuredClone(extractResource(deployment));
      const hydrated = hydrateResource(extract, deployment.podTemplates);
      assert.equal(hydrated.item, 2);
      assert.equal(hydrated.label, 'Deployment/api');
      assert.deepEqual(hydrated.podSpec?.podMetadata?.map('labels')?.record(), { app: 'api' });
      assert.equal(signatureToken(hydrated), signatureToken(deployment));
    }
  });

  test('editing one item changes that item\'s signature only', () => {
    const workspace = new Workspace();
    const before = workspace.setFile('file:///list.yaml', LIST).resources.map((r) => signatureToken(r));
    const after = workspace.setFile('file:///list.yaml', LIST.replace('image: api:1', 'image: api:2').replace('{app: api}}\n      spec', '{app: web}}\n      spec')).resources.map((r) => signatureToken(r));
    assert.equal(after[0], before[0]);
    assert.notEqual(after[1], before[1]);
  });

  test('findings name the item\'s resource and carry its index; a List item\'s ServiceAccount is the one its workload runs as', () => {
    const result = lintText(LIST, { config: { profile: 'restricted', rules: {} } });
    const automount = result.findings.filter((f) => f.ruleId === 'service-account-token-automount');
    assert.deepEqual(
      automount.map((f) => [f.item, f.resource?.name, f.range.start.line]),
      [[2, 'api', 15]],
    );
    // Its second fix sets the field on the ServiceAccount item of the same List, at that item's indentation.
    assert.deepEqual(automount[0].fixes.map((f) => f.title), ['Set automountServiceAccountToken: false on the pod spec', 'Set automountServiceAccountToken: false on ServiceAccount api']);
    assert.equal(
      applyEdits(LIST, automount[0].fixes[1].edits),
      LIST.replace('metadata: {name: api, namespace: shop}\n', 'metadata: {name: api, namespace: shop}\n  automountServiceAccountToken: false\n'),
    );
    assert.equal(result.objects, 2);
  });
});
