// Related locations: a finding about one root cause (a namespace without a default deny)
// points at each place it affects (the workloads it leaves open), in the editor
// (relatedInformation) and in SARIF (relatedLocations), at their current positions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/engine';
import { toDiagnostic } from '../../server/src/lsp/to-diagnostic';
import { formatSarif } from '../../server/src/report/format-sarif';
import { RULES } from '../../rules';
import { namePlace } from '../../server/src/workspace/name-place';
import { extractResource, hydrateResource } from '../../server/src/workspace/resource-extract';

const NAMESPACE = 'file:///shop/namespace.yaml';
const WORKLOADS = 'file:///shop/workloads.yaml';
const namespace = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;
const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: example/${name}:1.0}]
`;
const workloads = `${deployment('cart')}---\n${deployment('web')}`;

function engineWith(files: Record<string, string>): Engine {
  const engine = new Engine();
  for (const [uri, text] of Object.entries(files)) engine.workspace.setFile(uri, text);
  return engine;
}

const defaultDeny = (engine: Engine) => engine.lint(NAMESPACE).findings.filter((f) => f.ruleId === 'namespace-without-default-deny');

describe('related locations', () => {
  test('namespace-without-default-deny: one finding on the Namespace, related to each open workload at its name', () => {
    const engine = engineWith({ [NAMESPACE]: namespace, [WORKLOADS]: workloads });
    const [finding, ...others] = defaultDeny(engine);
    assert.equal(others.length, 0);
    assert.deepEqual(finding.related, [
      { uri: WORKLOADS, range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, message: 'Deployment/cart is open for ingress and egress.' },
      { uri: WORKLOADS, range: { start: { line: 14, character: 8 }, end: { line: 14, character: 11 } }, message: 'Deployment/web is open for ingress and egress.' },
    ]);
    // Without any policy in the namespace, the workloads are not reported one by one.
    assert.deepEqual(engine.lint(WORKLOADS).findings.filter((f) => f.ruleId === 'workload-not-isolated'), []);
  });

  test('a workload moved by a comment (no signature change, the rule result cached) is related at its new place', () => {
    const engine = engineWith({ [NAMESPACE]: namespace, [WORKLOADS]: workloads });
    defaultDeny(engine);
    engine.workspace.setFile(WORKLOADS, `# the shop's workloads\n# owned by the cart team\n${workloads}`);
    assert.deepEqual(defaultDeny(engine)[0].related?.map((r) => r.range.start.line), [5, 16]);
  });

  test('a workload a policy isolates is not related; the editor and SARIF carry the rest', () => {
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cart, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  policyTypes: [Ingress, Egress]
`;
    const engine = engineWith({ [NAMESPACE]: namespace, [WORKLOADS]: workloads, 'file:///shop/policy.yaml': policy });
    const [finding] = defaultDeny(engine);
    assert.deepEqual(finding.related?.map((r) => r.message), ['Deployment/web is open for ingress and egress.']);
    assert.deepEqual(toDiagnostic(finding).relatedInformation, [
      { location: { uri: WORKLOADS, range: { start: { line: 14, character: 8 }, end: { line: 14, character: 11 } } }, message: 'Deployment/web is open for ingress and egress.' },
    ]);
    const sarif = JSON.parse(
      formatSarif({ findings: [finding], suppressed: [], paths: new Map([[NAMESPACE, 'shop/namespace.yaml'], [WORKLOADS, 'shop/workloads.yaml']]), rules: RULES, filesRead: 3, version: '0.0.0', skipped: [] }),
    );
    assert.deepEqual(sarif.runs[0].results[0].relatedLocations, [
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: 'shop/workloads.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 15, startColumn: 9, endLine: 15, endColumn: 12 } },
        message: { text: 'Deployment/web is open for ingress and egress.' },
      },
    ]);
    // The namespace has a policy now: the workload it leaves open is reported on its own too.
    assert.deepEqual(engine.lint(WORKLOADS).findings.filter((f) => f.ruleId === 'workload-not-isolated').map((f) => f.resource?.name), ['web']);
  });

  test('a related file kept compact (unopened in the editor) or parsed by another thread gives the place its extracts kept; an extract without it stands at the start', () => {
    const engine = new Engine();
    engine.workspace.setFile(WORKLOADS, workloads, { compact: true });
    engine.workspace.setFile(NAMESPACE, namespace);
    assert.deepEqual(defaultDeny(engine)[0].related?.map((r) => [r.uri, r.range.start.line, r.range.start.character, r.range.end.character]), [
      [WORKLOADS, 3, 8, 12],
      [WORKLOADS, 14, 8, 11],
    ]);
    // Another thread's file, as an audit split over worker threads sends it (audit-share.ts).
    const foreign = (withPlace: boolean) => {
      const split = new Engine();
      const other = engineWith({ [WORKLOADS]: workloads });
      const file = other.workspace.getFile(WORKLOADS)!;
      const extracts = file.resources.map((r) => extractResource(r, withPlace ? namePlace(file.parsed, r.docIndex, r.item) : undefined));
      split.workspace.addForeignFile(WORKLOADS, extracts.map((e, i) => hydrateResource(e, file.resources[i].podTemplates)));
      split.workspace.setFile(NAMESPACE, namespace);
      return defaultDeny(split)[0].related?.map((r) => [r.uri, r.range.start.line, r.range.start.character, r.range.end.character, r.message]);
    };
    assert.deepEqual(foreign(true), [
      [WORKLOADS, 3, 8, 12, 'Deployment/cart is open for ingress and egress.'],
      [WORKLOADS, 14, 8, 11, 'Deployment/web is open for ingress and egress.'],
    ]);
    assert.deepEqual(foreign(false), [
      [WORKLOADS, 0, 0, 0, 'Deployment/cart is open for ingress and egress.'],
      [WORKLOADS, 0, 0, 0, 'Deployment/web is open for ingress and egress.'],
    ]);
  });
});
