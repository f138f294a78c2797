// Files the language server indexes but nobody looks at are kept compact (no syntax trees).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDocument } from 'yaml';
import { Resource } from '../../../server/src/model/resource';
import { PodTemplates } from '../../../server/src/model/pod-templates';
import { Engine } from '../../../server/src/engine/engine';
import { Workspace } from '../../../server/src/workspace/workspace';

const examples = join(__dirname, '..', '..', '..', 'examples');
const files = readdirSync(examples, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ uri: `file:///examples/${f}`, text: readFileSync(join(examples, f), 'utf8') }));

function engineWith(compact: (uri: string) => boolean): Engine {
  const engine = new Engine(new Workspace());
  for (const { uri, text } of files) engine.workspace.setFile(uri, text, { compact: compact(uri) });
  return engine;
}

describe('compact files', () => {
  test('every file lints the same whether the other files are compact or parsed', () => {
    const full = engineWith(() => false);
    for (const { uri } of files) {
      const mixed = engineWith((other) => other !== uri);
      assert.deepEqual(mixed.lint(uri), full.lint(uri), uri);
    }
  });

  test('a compact file keeps no syntax tree, is expanded to be linted, and neither step changes the cross-resource state', () => {
    const engine = engineWith(() => true);
    const { uri, text } = files.find((f) => f.uri.endsWith('webshop/frontend.yaml'))!;
    const compact = engine.workspace.getFile(uri)!;
    assert.equal(compact.compact, true);
    assert.equal(compact.parsed.docs.length, 0);
    assert.equal(compact.parsed.text, text);
    assert.ok(compact.resources.length > 0);
    const state = engine.workspace.snapshot.crossState;
    const result = engine.lint(uri);
    assert.ok(result.findings.length > 0);
    assert.notEqual(engine.workspace.getFile(uri)!.compact, true);
    assert.deepEqual(result, engineWith(() => false).lint(uri));
    engine.workspace.setFile(uri, text, { compact: true });
    assert.equal(engine.workspace.getFile(uri)!.compact, true);
    assert.equal(engine.workspace.snapshot.crossState, state);
  });

  test('a compact file gives back its exact text: CRLF, emoji and a lone surrogate included', () => {
    const workspace = new Workspace();
    const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: \u{1F600}}\r\ndata: {a: "\uD800 x"}\r\n';
    const file = workspace.setFile('file:///odd.yaml', text, { compact: true });
    assert.equal(file.compact, true);
    assert.equal(file.parsed.text, text);
    assert.equal(workspace.setFile('file:///odd.yaml', text, { compact: true }), file, 'the same text is no change');
  });
});

describe('resources of compact files', () => {
  const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: a}\n';
  const head = { apiVersion: 'v1', kind: 'Namespace', name: 'shop', namespace: undefined };
  function counted() {
    const count = { rebuilds: 0 };
    const resource = Resource.rebuilt('file:///ns.yaml', 0, head, undefined, PodTemplates.BUILT_IN, () => {
      count.rebuilds++;
      return { index: 0, base: 0, source: text, doc: parseDocument(text) };
    });
    return { resource, count };
  }

  test('what identifies the resource is read without its tree; the tree is built once while it is held', () => {
    const { resource, count } = counted();
    assert.deepEqual([resource.label, resource.namespace, resource.effectiveNamespace('x'), resource.docIndex], ['Namespace/shop', undefined, 'x', 0]);
    assert.equal(count.rebuilds, 0);
    const root = resource.root;
    assert.deepEqual(resource.labels, { team: 'a' });
    assert.equal(resource.root, root);
    assert.equal(count.rebuilds, 1);
  });

  test('a tree nothing holds is dropped, and rebuilt the same when read again', async () => {
    const { resource, count } = counted();
    assert.deepEqual(resource.labels, { team: 'a' });
    // WeakRef targets live to the end of the job that read them; then a full collection drops them.
    await new Promise((resolve) => setTimeout(resolve, 0));
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    assert.deepEqual(resource.labels, { team: 'a' });
    assert.equal(count.rebuilds, 2);
  });
});

describe('workspace lists', () => {
  test('after edits that add, remove and change resources, the resource list and kind index equal a fresh workspace', () => {
    const doc = (kind: string, name: string) => `apiVersion: v1\nkind: ${kind}\nmetadata: {name: ${name}}\n`;
    const versions = [
      [doc('ServiceAccount', 'a'), doc('ConfigMap', 'b')].join('---\n'),
      doc('ConfigMap', 'c'),
      [doc('Secret', 'd'), doc('ServiceAccount', 'e'), doc('ServiceAccount', 'f')].join('---\n'),
      'not: kubernetes\n',
      '',
    ];
    const workspace = new Workspace();
    for (const uri of ['file:///c.yaml', 'file:///a.yaml', 'file:///b.yaml']) workspace.setFile(uri, doc('Service', uri.slice(8, 9)));
    const names = (w: Workspace) => ({ all: w.resources().map((r) => `${r.uri} ${r.name}`), kinds: ['ServiceAccount', 'ConfigMap', 'Secret', 'Service'].map((k) => w.ofKind(k).map((r) => r.name)) });
    for (const [i, text] of versions.entries()) {
      names(workspace); // build the lists, so the edit patches them
      workspace.setFile('file:///b.yaml', text, { compact: i % 2 === 1 });
      const fresh = new Workspace();
      for (const uri of ['file:///a.yaml', 'file:///b.yaml', 'file:///c.yaml']) fresh.setFile(uri, workspace.getFile(uri)!.parsed.text);
      assert.deepEqual(names(workspace), names(fresh), `version ${i}`);
    }
  });
});
