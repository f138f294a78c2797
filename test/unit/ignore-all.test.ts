// The `all` value of the ignore annotation (`kube-zero-trust.io/ignore: "all"`): every rule is
// silenced for the annotated resource, none for the others (same file or not), and the
// configuration's `strict` rules still fire on it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lintText } from '../../server/src/engine/engine';
import type { EngineConfig } from '../../server/src/engine/config';
import type { Finding } from '../../server/src/engine/finding';

const WEB = (annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
${annotations}spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
`;

const API = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - {name: api, image: "api:latest", securityContext: {privileged: true}}
`;

const IGNORE_ALL = '  annotations:\n    kube-zero-trust.io/ignore: "all" # vendored chart, reviewed\n';

const of = (findings: readonly Finding[], name: string) => findings.filter((f) => f.resource?.name === name);
/** What identifies a finding apart from its position (the annotation shifts lines). */
const ids = (findings: readonly Finding[]) => findings.map((f) => `${f.ruleId}: ${f.message}`).sort();

describe('ignore annotation "all"', () => {
  const plain = lintText(`${WEB()}---\n${API}`);
  const annotated = lintText(`${WEB(IGNORE_ALL)}---\n${API}`);

  test('the unannotated resource has findings of many rules (what "all" has to silence)', () => {
    const rules = new Set(of(plain.findings, 'web').map((f) => f.ruleId));
    for (const id of ['privileged-container', 'host-namespace', 'run-as-root', 'image-tag-mutable', 'default-service-account']) assert.ok(rules.has(id), id);
  });

  test('every rule is silenced for the annotated resource, each finding kept as suppressed with the reason', () => {
    assert.deepEqual(ids(of(annotated.findings, 'web')), []);
    const suppressed = of(annotated.suppressed, 'web');
    assert.deepEqual(ids(suppressed), ids(of(plain.findings, 'web')));
    for (const f of suppressed) assert.deepEqual(f.suppressed, { by: 'annotation', reason: 'vendored chart, reviewed' }, f.ruleId);
  });

  test('other resources of the same file keep every finding', () => {
    assert.deepEqual(ids(of(annotated.findings, 'api')), ids(of(plain.findings, 'api')));
    assert.ok(of(annotated.findings, 'api').some((f) => f.ruleId === 'privileged-container'));
    assert.deepEqual(of(annotated.suppressed, 'api'), []);
  });

  test('resources of other files keep every finding', () => {
    const beside = lintText(API, { uri: 'file:///api.yaml', files: { 'file:///web.yaml': WEB() } });
    const besideAnnotated = lintText(API, { uri: 'file:///api.yaml', files: { 'file:///web.yaml': WEB(IGNORE_ALL) } });
    assert.ok(beside.findings.length > 0);
    assert.deepEqual(ids(besideAnnotated.findings), ids(beside.findings));
    assert.deepEqual(besideAnnotated.suppressed, []);
  });

  test('"all" among other rule ids silences every rule too', () => {
    const listed = lintText(`${WEB('  annotations:\n    kube-zero-trust.io/ignore: "image-tag-mutable, all"\n')}---\n${API}`);
    assert.deepEqual(ids(of(listed.findings, 'web')), []);
    assert.deepEqual(ids(of(listed.suppressed, 'web')), ids(of(plain.findings, 'web')));
  });

  test("the configuration's strict rules still fire on the annotated resource; the others stay silenced", () => {
    const strict = ['host-namespace', 'privileged-container'];
    const config: EngineConfig = { profile: 'restricted', rules: {}, strict };
    const result = lintText(`${WEB(IGNORE_ALL)}---\n${API}`, { config });
    const web = of(result.findings, 'web');
    assert.deepEqual([...new Set(web.map((f) => f.ruleId))].sort(), strict);
    assert.deepEqual(ids(web), ids(of(plain.findings, 'web').filter((f) => strict.includes(f.ruleId))));
    assert.deepEqual(ids(of(result.suppressed, 'web')), ids(of(plain.findings, 'web').filter((f) => !strict.includes(f.ruleId))));
    assert.deepEqual(ids(of(result.findings, 'api')), ids(of(plain.findings, 'api')));
  });
});
