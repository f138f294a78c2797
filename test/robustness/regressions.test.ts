// Regression tests for the bugs the robustness properties found in the model and the fix
// builders, each reduced to its smallest input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Alias, parseAllDocuments, parseDocument, type YAMLMap } from 'yaml';
import { Engine, lintText } from '../../server/src/engine/engine';
import { applyEdits, editsConflict } from '../../server/src/edits/offset-edit';
import { removePair } from '../../server/src/edits/yaml-edits';
import { MapView, YamlContext } from '../../server/src/model/yaml-view';
import { Workspace } from '../../server/src/workspace/workspace';
import { mergeBomb } from './arbitraries';

/** A view of `path` in `source`, parsed as YAML 1.1 like the engine does (or 1.2). */
function mapOf(source: string, ...path: string[]): MapView {
  return mapIn('1.1', source, ...path);
}

function mapIn(version: '1.1' | '1.2', source: string, ...path: string[]): MapView {
  const doc = parseDocument(source, { version });
  let view = new MapView(doc.contents as YAMLMap, new YamlContext(doc as never, source));
  for (const key of path) view = view.map(key)!;
  return view;
}

describe('regressions found by the robustness properties', () => {
  test('merge keys that alias the same maps over and over cost nothing (was 9^depth lookups)', () => {
    // Ten levels of nine merges each: walked naively, a missing key visits 9^9 maps.
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nbombs:\n${mergeBomb('  ')}\nspec:\n  <<: *m9\n  containers: [{name: a, image: b}]\n`;
    const started = Date.now();
    const result = lintText(text);
    assert.ok(Date.now() - started < 2000, `lint took ${Date.now() - started} ms`);
    assert.deepEqual(result.failures, []);
    assert.ok(result.findings.some((f) => f.ruleId === 'run-as-root'), 'the pod is still checked');
  });

  test('merge keys still resolve in order, depth first, and cycles end', () => {
    const view = mapOf('base: &base {a: 1, b: 1}\nover: &over {b: 2, <<: *base}\nx:\n  <<: [*over, {a: 3, c: 3}]\n  own: 0\n', 'x');
    assert.equal(view.number('own'), 0);
    assert.equal(view.number('b'), 2, 'the first merged map wins');
    assert.equal(view.number('a'), 1, "a merged map's own merges come before the next merged map");
    assert.equal(view.number('c'), 3);
    assert.equal(view.pair('missing'), undefined);
    const cyclic = mapOf('a: &a\n  x: 1\n  <<: *a\nb:\n  <<: *a\n', 'b');
    assert.equal(cyclic.number('x'), 1);
    assert.equal(cyclic.pair('missing'), undefined);
  });

  test('labels, annotations and selectors merged in by `<<` are entries, as Kubernetes sees them', () => {
    const text = `common: &common {app: web, tier: front}
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    <<: *common
    tier: back
spec:
  containers: [{name: a, image: b}]
`;
    const workspace = new Workspace();
    const [pod] = workspace.setFile('file:///p.yaml', text).resources;
    assert.deepEqual(pod.labels, { tier: 'back', app: 'web' }, 'own keys win; merged keys are added; `<<` is not a label');
    for (const version of ['1.1', '1.2'] as const) {
      const view = mapIn(version, 'a: &a {x: 1}\nb: &b {<<: *a, w: 2}\nc: {<<: [*b, *a], z: 3}\n', 'c');
      assert.deepEqual(view.entries().map(([k, v]) => [k, v]), [['z', '3'], ['w', '2'], ['x', '1']], `each merged map once, values as written (YAML ${version})`);
      assert.equal(view.number('x'), 1);
    }
  });

  test('a long chain of merges neither overflows the stack nor stops after 8 hops', () => {
    const lines = ['m0: &m0 {deep: found}'];
    for (let i = 1; i <= 5_000; i++) lines.push(`m${i}: &m${i} {<<: *m${i - 1}}`);
    const view = mapOf(`${lines.join('\n')}\nx: {<<: *m5000}\n`, 'x');
    assert.equal(view.string('deep'), 'found');
  });

  test('many aliases cost linear time: the anchors are indexed once, not searched per alias', () => {
    // `Alias.resolve` walks the whole document per call: 20,000 aliases of a container took minutes.
    const resolve = Alias.prototype.resolve;
    let calls = 0;
    Alias.prototype.resolve = function (...args: Parameters<typeof resolve>) {
      calls++;
      return resolve.apply(this, args);
    };
    try {
      const n = 5_000;
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n    - &c {name: a, image: b, securityContext: {privileged: true}}\n  containers: [${Array(n).fill('*c').join(', ')}]\n`;
      const started = Date.now();
      const result = lintText(text);
      assert.ok(Date.now() - started < 10_000, `lint took ${Date.now() - started} ms`);
      assert.equal(result.findings.filter((f) => f.ruleId === 'privileged-container').length, n + 1, 'every alias is still a container');
      assert.equal(calls, 0, 'Alias.resolve walks the whole document on every call');
    } finally {
      Alias.prototype.resolve = resolve;
    }
    const later = mapOf('a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
    assert.deepEqual([later.number('b'), later.number('d')], [1, 2], 'an alias points to the last anchor of its name before it');
  });

  test('fix-all: removing `add` and appending `drop` in one flow map wait for separate passes', () => {
    // The removal of `add: [SYS_PTRACE]` ended where `, drop: ["ALL"]` was inserted: both
    // applied in one pass gave `capabilities: {, drop: ["ALL"]}`.
    assert.ok(editsConflict({ start: 10, end: 20, text: '' }, { start: 20, end: 20, text: ', x' }), 'touching edits conflict');
    assert.ok(!editsConflict({ start: 10, end: 20, text: '' }, { start: 21, end: 21, text: 'x' }));
    const text = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: debug
      image: busybox:1.36
      securityContext:
        capabilities: {add: [SYS_PTRACE]}
`;
    const engine = new Engine();
    engine.workspace.setFile('file:///pod.yaml', text);
    const fixed = applyEdits(text, [engine.fixAll('file:///pod.yaml', (f) => ['capabilities-not-dropped', 'dangerous-capability-added'].includes(f.ruleId))!]);
    for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], fixed);
    assert.match(fixed, /capabilities: \{drop: \["ALL"\]\}/);
  });

  test('removing the last item of a flow map keeps the comment after the comma before it', () => {
    const source = 'ports:\n  - {\n      containerPort: 8080, # the app\n      hostPort: 80\n    }\n';
    const edit = removePair(mapOf(source).seq('ports')!.maps()[0], 'hostPort')!;
    const fixed = applyEdits(source, [edit]);
    assert.equal(fixed, 'ports:\n  - {\n      containerPort: 8080 # the app\n    }\n');
    assert.deepEqual(parseDocument(fixed).toJS(), { ports: [{ containerPort: 8080 }] });
    const both = 'p: {\n  x: 1, # about x\n  w: 2 # about w\n}\n';
    assert.equal(applyEdits(both, [removePair(mapOf(both, 'p'), 'w')!]), 'p: {\n  x: 1 # about x\n   # about w\n}\n', 'two comments stay two');
    const plain = 'a: {x: 1, w: 2}\n';
    assert.equal(applyEdits(plain, [removePair(mapOf(plain, 'a'), 'w')!]), 'a: {x: 1}\n');
  });
});

describe('found by the robustness properties, fixed by their owners', () => {
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {privileged: true}\n';

  test('YAML 1.1 booleans (yes, on, y) are booleans, as Kubernetes decodes them: `privileged: yes` is privileged', () => {
    for (const value of ['yes', 'on', 'Y', 'True']) {
      const found = lintText(POD.replace('privileged: true', `privileged: ${value}`)).findings.map((f) => f.ruleId);
      assert.ok(found.includes('privileged-container'), `privileged: ${value}`);
    }
  });

  test('fix-all on a text that starts with two byte-order marks does not shift its edits', () => {
    const engine = new Engine();
    engine.workspace.setFile('file:///bom.yaml', `\uFEFF\uFEFF${POD}`);
    const edit = engine.fixAll('file:///bom.yaml', () => true);
    const fixed = applyEdits(engine.workspace.getFile('file:///bom.yaml')!.parsed.text, [edit!]);
    for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), []);
    assert.match(fixed, /image: nginx:1\.27\r?\n/);
  });

  test('a YAML error at the very end of the text ends at the end, not past it', () => {
    for (const text of ['key: [1, 2', 'a: "x', '[{x: &x1 [{x: *x1']) {
      for (const f of lintText(text).findings) assert.ok(f.end <= text.length, `${JSON.stringify(text)}: ${f.start}-${f.end}`);
    }
  });
});
