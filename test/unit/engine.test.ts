// The engine on its own: positions in multi-document, CRLF and BOM files, bad input, suppressions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lintText } from '../../server/src/engine/engine';

const POD = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;

const privileged = (text: string) => lintText(text).findings.filter((f) => f.ruleId === 'privileged-container');

describe('engine', () => {
  test('positions are per document in multi-document files', () => {
    const found = privileged(`${POD('a')}---\n# second\n${POD('b')}`);
    assert.deepEqual(found.map((f) => [f.docIndex, f.range.start.line, f.range.start.character, f.resource?.name]), [
      [0, 9, 20, 'a'],
      [1, 21, 20, 'b'],
    ]);
  });

  test('CRLF line ends give the same lines and columns', () => {
    const found = privileged(`${POD('a')}---\n${POD('b')}`.replace(/\n/g, '\r\n'));
    assert.deepEqual(found.map((f) => [f.range.start.line, f.range.start.character, f.range.end.character]), [[9, 20, 24], [20, 20, 24]]);
  });

  test('a byte-order mark does not shift columns', () => {
    const found = privileged(`\uFEFF${POD('a')}`);
    assert.deepEqual([found[0].range.start.line, found[0].range.start.character], [9, 20]);
  });

  test('columns count UTF-16 code units, as LSP does', () => {
    const found = privileged(POD('a').replace('name: app', 'name: "🚀app"').replace('privileged: true', 'privileged: true # ü'));
    assert.equal(found[0].range.start.character, 20);
    const emoji = lintText(`apiVersion: v1\nkind: Pod\nmetadata: {name: "🚀"}\nspec:\n  containers: [{name: "🚀", image: x, securityContext: {privileged: true}}]\n`).findings.find((f) => f.ruleId === 'privileged-container');
    assert.equal(emoji?.range.start.character, 'spec:\n  containers: [{name: "🚀", image: x, securityContext: {privileged: '.split('\n')[1].length);
  });

  test('one YAML error is reported and the other documents are still checked', () => {
    const result = lintText(`apiVersion: v1\nkind: ConfigMap\ndata: {a: [1\n---\n${POD('ok')}`);
    const syntax = result.findings.filter((f) => f.ruleId === 'yaml-syntax');
    assert.equal(syntax.length, 1);
    assert.ok(syntax[0].range.start.line >= 2 && syntax[0].range.start.line <= 3, "the error stays in the broken document");
    assert.match(syntax[0].message, /^YAML syntax error: Flow sequence.*The other documents of this file are still checked\.$/);
    assert.equal(result.findings.filter((f) => f.ruleId === 'privileged-container').length, 1);
    // A file of one document has no others to speak of.
    const single = lintText('apiVersion: v1\nkind: ConfigMap\ndata: {a: [1\n').findings.find((f) => f.ruleId === 'yaml-syntax');
    assert.doesNotMatch(single!.message, /other documents/);
  });

  test('Helm templates get no YAML-error noise', () => {
    const result = lintText(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "labels" . | indent 4 }}\n`);
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'yaml-syntax'), []);
  });

  test('YAML that is not a Kubernetes object is ignored silently', () => {
    for (const text of ['name: build\non: [push]\njobs: {}\n', '- a\n- b\n', 'just a string', '', '---\n---\n', 'kind: Pod\n']) {
      assert.deepEqual(lintText(text).findings, [], text);
    }
  });

  test('an alias bomb costs nothing', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    lintText(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${bomb.join('\n  ')}\n`);
    assert.ok(Date.now() - started < 2000);
  });

  test('the ignore annotation and the kzt-ignore comment suppress exactly the named rules', () => {
    const annotated = POD('a').replace('  name: a\n', '  name: a\n  annotations:\n    kube-zero-trust.io/ignore: "privileged-container, image-tag-mutable"\n');
    assert.equal(privileged(annotated).length, 0);
    assert.ok(lintText(annotated).findings.some((f) => f.ruleId === 'run-as-root'));
    const commented = POD('a').replace('        privileged: true', '        # kzt-ignore privileged-container -- needs the GPU driver\n        privileged: true');
    assert.equal(privileged(commented).length, 0);
    const otherRule = POD('a').replace('        privileged: true', '        # kzt-ignore run-as-root -- x\n        privileged: true');
    assert.equal(privileged(otherRule).length, 1);
  });

  test('profiles: baseline runs only baseline rules; settings override per rule', () => {
    const baseline = lintText(POD('a'), { config: { profile: 'baseline', rules: {} } }).findings.map((f) => f.ruleId);
    assert.ok(baseline.includes('privileged-container'));
    assert.ok(!baseline.includes('run-as-root'));
    const tuned = lintText(POD('a'), { config: { profile: 'baseline', rules: { 'run-as-root': 'error', 'privileged-container': 'off' } } }).findings;
    assert.deepEqual(tuned.filter((f) => ['run-as-root', 'privileged-container'].includes(f.ruleId)).map((f) => [f.ruleId, f.severity]), [['run-as-root', 'error']]);
  });

  test('a rule that throws is isolated: logged as a failure, other rules still report', () => {
    const broken = { meta: { id: 'broken', title: 'b', principle: 'least-privilege', severity: 'error', docs: { what: '', why: '', fix: '', peers: {} } }, check: () => { throw new Error('boom'); } } as const;
    const { RULES } = require('../../rules') as typeof import('../../rules');
    const result = lintText(POD('a'), { rules: [broken as never, ...RULES] });
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0].error, /boom/);
    assert.ok(result.findings.some((f) => f.ruleId === 'privileged-container'));
  });
});
