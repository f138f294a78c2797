// Rendered kustomize output placed back on the files it came from, without running kustomize:
// the rendered text below is what `kubectl kustomize` prints with origin annotations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../../../rules';
import { DEFAULT_CONFIG } from '../../../server/src/engine/config';
import type { Finding } from '../../../server/src/engine/finding';
import { mapRendered, type RenderedInput } from '../../../server/src/rendering/map-rendered';
import type { PatchRef } from '../../../server/src/rendering/place';
import { Workspace } from '../../../server/src/workspace/workspace';

const BASE = 'file:///repo/base/pod.yaml';
const KUSTOMIZATION = 'file:///repo/overlays/dev/kustomization.yaml';

const POD = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;

function rendered(pod: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: ../repo/base/pod.yaml
  name: dev-web
  namespace: dev
spec:
${pod}`;
}

/** Only the rules these cases are about: the others' findings would only be noise here. */
const ONLY = ['privileged-container', 'host-namespace', 'credential-in-configmap', 'host-port'];

function run(files: Record<string, string>, yaml: string, patches: PatchRef[] = []) {
  const workspace = new Workspace();
  for (const [uri, text] of Object.entries(files)) workspace.setFile(uri, text);
  const input: RenderedInput = {
    kustomization: KUSTOMIZATION,
    yaml,
    resolveOrigin: (path) => new URL(path, 'file:///wrapper/').toString(),
    sources: (uri) => workspace.getFile(uri),
    patches,
    rules: RULES.filter((r) => ONLY.includes(r.meta.id)),
    config: DEFAULT_CONFIG,
    defaultNamespace: 'default',
  };
  return mapRendered(input);
}

/** `uri line:col-line:col rule` of each finding (1-based), for exact comparisons. */
function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.uri.replace('file:///repo/', '')} ${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.ruleId}`);
}

function all(result: ReturnType<typeof mapRendered>): string[] {
  return [...result.files.values()].flatMap((f) => where(f.findings)).sort();
}

describe('mapRendered', () => {
  test('a value the source holds is reported on the source node, whatever prefix and namespace the overlay gave the object', () => {
    const result = run({ [BASE]: POD }, rendered('  containers:\n  - image: nginx:1.27\n    name: app\n    securityContext:\n      privileged: true\n'));
    assert.deepEqual(all(result), ['base/pod.yaml 15:21-15:25 privileged-container']);
    const [finding] = result.files.get(BASE)!.findings;
    assert.deepEqual(finding.resource, { kind: 'Pod', name: 'dev-web', namespace: 'dev' });
    assert.equal(finding.docIndex, 1);
    assert.deepEqual(finding.fixes, [], 'fixes of the rendered text do not apply to the source');
  });

  test('a value a strategic merge patch set is reported on the patch; one it hardened is not reported', () => {
    const patch = 'file:///repo/overlays/dev/patch.yaml';
    const patchText = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostNetwork: true
  containers:
    - name: app
      securityContext: {privileged: false}
`;
    const result = run({ [BASE]: POD, [patch]: patchText }, rendered('  hostNetwork: true\n  containers:\n  - image: nginx:1.27\n    name: app\n    securityContext:\n      privileged: false\n'), [{ uri: patch }]);
    assert.deepEqual(all(result), ['overlays/dev/patch.yaml 5:16-5:20 host-namespace']);
  });

  test('a JSON patch operation that added the value, matched through its target', () => {
    const patch = 'file:///repo/overlays/dev/ports.yaml';
    const patchText = `- op: add
  path: /spec/containers/0/ports
  value:
    - containerPort: 80
      hostPort: 8080
`;
    const yaml = rendered('  containers:\n  - image: nginx:1.27\n    name: app\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n    securityContext:\n      privileged: true\n');
    assert.deepEqual(all(run({ [BASE]: POD, [patch]: patchText }, yaml, [{ uri: patch, target: { kind: 'Pod', name: 'web' } }])), [
      'base/pod.yaml 15:21-15:25 privileged-container',
      'overlays/dev/ports.yaml 5:17-5:21 host-port',
    ]);
    assert.deepEqual(all(run({ [BASE]: POD, [patch]: patchText }, yaml, [{ uri: patch, target: { kind: 'Deployment' } }])).filter((w) => w.endsWith('host-port')), [
      'base/pod.yaml 6:1-6:15 host-port',
    ], 'a patch targeting other objects did not set it: the object\'s head');
  });

  test('a value neither the source nor a patch holds (set by a transformer) is reported on the object\'s head', () => {
    const result = run({ [BASE]: POD }, rendered('  containers:\n  - image: nginx:1.27\n    name: app\n    securityContext:\n      privileged: true\n  hostPID: true\n'));
    assert.deepEqual(all(result), ['base/pod.yaml 15:21-15:25 privileged-container', 'base/pod.yaml 6:1-6:15 host-namespace']);
  });

  test('a generated ConfigMap is reported on its generator entry', () => {
    const kustomization = `resources: [../../base]
configMapGenerator:
  - name: app-env
    literals: [password=hunter2-but-longer-Xy9]
`;
    const yaml = `apiVersion: v1
data:
  password: hunter2-but-longer-Xy9
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      configuredIn: ../repo/overlays/dev/kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: ConfigMapGenerator
  name: app-env-5f7k9g2c4m
`;
    const result = run({ [KUSTOMIZATION]: kustomization }, yaml);
    assert.deepEqual(all(result), ['overlays/dev/kustomization.yaml 3:5-3:18 credential-in-configmap']);
  });

  test('an object whose origin is not among the files is reported on the top-level kustomization', () => {
    const result = run({ [KUSTOMIZATION]: 'resources: [../../base]\n' }, rendered('  hostIPC: true\n  containers: []\n'));
    assert.deepEqual(all(result), ['overlays/dev/kustomization.yaml 1:1-1:24 host-namespace']);
  });

  test('a comment above the source node silences the finding there; annotations travel with the object', () => {
    const commented = POD.replace('        privileged: true', '        # kzt-ignore privileged-container -- the CNI agent needs it\n        privileged: true');
    const result = run({ [BASE]: commented }, rendered('  containers:\n  - image: nginx:1.27\n    name: app\n    securityContext:\n      privileged: true\n'));
    assert.deepEqual(all(result), []);
    assert.deepEqual(result.files.get(BASE)!.suppressed.map((f) => [f.ruleId, f.suppressed]), [['privileged-container', { by: 'comment', reason: 'the CNI agent needs it' }]]);
    const annotated = rendered('  containers:\n  - image: nginx:1.27\n    name: app\n    securityContext:\n      privileged: true\n').replace(
      '  annotations:\n',
      '  annotations:\n    kube-zero-trust.io/ignore: privileged-container\n    kube-zero-trust.io/ignore-reason: an overlay patch annotates it\n',
    );
    const silenced = run({ [BASE]: POD }, annotated);
    assert.deepEqual(all(silenced), []);
    assert.deepEqual(where(silenced.files.get(BASE)!.suppressed), ['base/pod.yaml 15:21-15:25 privileged-container']);
    assert.equal(silenced.files.get(BASE)!.suppressed[0].suppressed?.by, 'annotation');
  });
});
