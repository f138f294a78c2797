// "Suppress <rule> for this resource…" with a reason: the edit gives valid YAML however the
// metadata is written (block, flow, flow annotations, a List item, a one-line flow document,
// CRLF), the finding is then suppressed, and the reason is read back for audits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../../server/src/engine/engine';
import { applyEdits, shiftEdit } from '../../server/src/edits/offset-edit';
import { suppressForResource } from '../../server/src/edits/suppress';
import { Workspace } from '../../server/src/workspace/workspace';

const URI = 'file:///w/pod.yaml';
const CONTAINERS = 'containers: [{name: app, image: nginx:1.27, securityContext: {privileged: true}}]';

function suppressed(text: string, reason: string): { text: string; reasons: Array<string | undefined> } {
  const engine = new Engine(new Workspace());
  engine.workspace.setFile(URI, text);
  const [finding] = engine.lint(URI).findings.filter((f) => f.ruleId === 'privileged-container');
  assert.ok(finding, 'the privileged finding before');
  const resource = engine.workspace.getFile(URI)!.resources.find((r) => r.docIndex === finding.docIndex && r.item === finding.item)!;
  const edited = applyEdits(text, suppressForResource(resource, 'privileged-container', reason).map((e) => shiftEdit(e, resource.parsed.base)));
  assert.deepEqual(parseAllDocuments(edited).flatMap((d) => d.errors.map((e) => e.message)), [], `invalid YAML:\n${edited}`);
  engine.workspace.setFile(URI, edited);
  const after = engine.lint(URI);
  assert.deepEqual(after.findings.filter((f) => f.ruleId === 'privileged-container'), []);
  return { text: edited, reasons: after.suppressed.filter((f) => f.ruleId === 'privileged-container').map((f) => f.suppressed?.reason) };
}

describe('suppress for this resource, with a reason', () => {
  test('block metadata: the reason is a trailing comment of the annotation', () => {
    const { text, reasons } = suppressed(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  ${CONTAINERS}\n`, 'legacy GPU driver');
    assert.match(text, /  annotations:\n    kube-zero-trust\.io\/ignore: "privileged-container" # legacy GPU driver\n/);
    assert.deepEqual(reasons, ['legacy GPU driver']);
  });

  test('flow metadata: the annotation goes in the braces, the reason on a comment line above metadata', () => {
    const { text, reasons } = suppressed(`apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  ${CONTAINERS}\n`, 'legacy GPU driver');
    assert.match(text, /\n# kube-zero-trust\.io\/ignore -- legacy GPU driver\nmetadata: \{name: web, namespace: shop, annotations: \{kube-zero-trust\.io\/ignore: "privileged-container"\}\}\n/);
    assert.deepEqual(reasons, ['legacy GPU driver']);
  });

  test('flow annotations in block metadata, with another rule already ignored', () => {
    const { text, reasons } = suppressed(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {team: a, kube-zero-trust.io/ignore: run-as-root}\nspec:\n  ${CONTAINERS}\n`, 'driver');
    assert.match(text, /# kube-zero-trust\.io\/ignore -- driver\nmetadata:\n  name: web\n  annotations: \{team: a, kube-zero-trust\.io\/ignore: "run-as-root,privileged-container"\}\n/);
    assert.deepEqual(reasons, ['driver']);
  });

  test('a List item with flow metadata, and a one-line flow document, with CRLF line ends', () => {
    const list = suppressed(`apiVersion: v1\r\nkind: List\r\nitems:\r\n  - apiVersion: v1\r\n    kind: Pod\r\n    metadata: {name: web}\r\n    spec:\r\n      ${CONTAINERS}\r\n`, 'driver');
    assert.match(list.text, /\r\n    # kube-zero-trust\.io\/ignore -- driver\r\n    metadata: \{name: web, annotations:/);
    assert.deepEqual(list.reasons, ['driver']);
    const oneLine = suppressed(`{apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {${CONTAINERS}}}\n`, 'driver');
    assert.ok(oneLine.text.startsWith('# kube-zero-trust.io/ignore -- driver\n{apiVersion: v1'), oneLine.text);
    assert.deepEqual(oneLine.reasons, ['driver']);
  });
});
