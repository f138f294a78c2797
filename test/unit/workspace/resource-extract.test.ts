// Extracts carry to other audit threads what cross-resource analyses read of a resource.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Workspace } from '../../../server/src/workspace/workspace';
import { extractResource, hydrateResource } from '../../../server/src/workspace/resource-extract';
import { signatureToken } from '../../../server/src/workspace/cross-signature';

function resourcesOf(text: string) {
  const workspace = new Workspace();
  return workspace.setFile('file:///a.yaml', text).resources;
}

/** What another thread sees: the resource rebuilt from a structured clone of its extract. */
function roundTrip(text: string) {
  const [original] = resourcesOf(text);
  const extract = structuredClone(extractResource(original));
  const hydrated = hydrateResource(extract, original.podTemplates);
  return { original, extract, hydrated };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels: {app: api, version: 010, canary: yes}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true}
      containers:
        - name: api
          image: shop/api:1.2
          ports: [{containerPort: 8080, name: http}]
          securityContext: {privileged: true}
          resources: {limits: {cpu: 1}}
status: {replicas: 2}
`;

describe('resource extracts', () => {
  test('a workload keeps what other resources depend on, with Kubernetes string semantics', () => {
    const { original, hydrated } = roundTrip(DEPLOYMENT);
    assert.equal(hydrated.label, 'Deployment/api');
    assert.equal(hydrated.namespace, 'shop');
    assert.equal(hydrated.docIndex, original.docIndex);
    assert.equal(hydrated.uri, 'file:///a.yaml');
    // `010` and `yes` in a string field read as written, as sigs.k8s.io/yaml does.
    assert.deepEqual(hydrated.labels, { app: 'api', version: '010', canary: 'yes' });
    assert.deepEqual(hydrated.labels, original.labels);
    const pod = hydrated.podSpec!;
    assert.equal(pod.spec.string('serviceAccountName'), 'api');
    assert.equal(pod.spec.bool('automountServiceAccountToken'), false);
    assert.equal(pod.containers[0].name, 'api');
    assert.equal(pod.containers[0].map.seq('ports')!.maps()[0].number('containerPort'), 8080);
  });

  test('the fields only the workload itself is checked on are left out, and the signature travels', () => {
    const { original, hydrated } = roundTrip(DEPLOYMENT);
    const pod = hydrated.podSpec!;
    assert.equal(pod.securityContext, undefined);
    assert.equal(pod.containers[0].securityContext, undefined);
    assert.equal(pod.containers[0].map.get('image'), undefined);
    assert.equal(pod.containers[0].map.get('resources'), undefined);
    assert.equal(hydrated.root.get('status'), undefined);
    assert.equal(signatureToken(hydrated), signatureToken(original));
  });

  test('a CustomResourceDefinition keeps its names and versions, not its schema', () => {
    const { hydrated } = roundTrip(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object}}
`);
    const spec = hydrated.root.map('spec')!;
    assert.equal(spec.string('group'), 'example.com');
    assert.equal(spec.map('names')!.string('kind'), 'Widget');
    const version = spec.seq('versions')!.maps()[0];
    assert.equal(version.string('name'), 'v1');
    assert.equal(version.bool('served'), true);
    assert.equal(version.get('schema'), undefined);
  });

  test('a document with aliases or merge keys travels as its source and reads the same', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: &labels {app: web}
spec:
  selector: *labels
  ports:
    - &http {port: 80, name: http}
    - <<: *http
      port: 8080
      name: alt
`;
    const { extract, hydrated, original } = roundTrip(text);
    assert.equal(extract.json, undefined);
    assert.ok(extract.source?.includes('&labels'));
    assert.deepEqual(hydrated.root.map('spec')!.map('selector')!.record(), { app: 'web' });
    const ports = hydrated.root.map('spec')!.seq('ports')!.maps();
    assert.deepEqual(ports.map((p) => [p.number('port'), p.string('name')]), [[80, 'http'], [8080, 'alt']]);
    assert.equal(signatureToken(hydrated), signatureToken(original));
  });

  test('a foreign file is seen by cross-resource queries, in URI order whichever thread parsed it', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///b.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b}\n');
    const [foreign] = resourcesOf('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n');
    workspace.addForeignFile('file:///a.yaml', [hydrateResource(structuredClone(extractResource(foreign)), foreign.podTemplates)]);
    assert.deepEqual(workspace.ofKind('ServiceAccount').map((r) => r.name), ['a', 'b']);
    assert.deepEqual(workspace.resources().map((r) => r.uri), ['file:///a.yaml', 'file:///b.yaml']);
  });
});
