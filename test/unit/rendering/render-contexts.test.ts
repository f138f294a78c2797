// A file's result over the top-level kustomizations that deploy it, and the notes on those not rendered; no process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../../../rules';
import { DEFAULT_CONFIG } from '../../../server/src/engine/config';
import { Engine } from '../../../server/src/engine/engine';
import { renderContexts, type RenderResult, type RenderTarget } from '../../../server/src/rendering/render-contexts';
import { Workspace } from '../../../server/src/workspace/workspace';

const BASE = 'file:///repo/base/pod.yaml';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {privileged: true}\n';
const RENDERED_HARDENED = `apiVersion: v1
kind: Pod
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: ../repo/base/pod.yaml
  name: dev-web
spec:
  containers:
  - image: nginx:1.27
    name: app
    securityContext:
      privileged: false
`;

function target(name: string, remote: string[] = []): RenderTarget {
  const uri = `file:///repo/${name}/kustomization.yaml`;
  return { uri, name, members: [uri, BASE], patches: [], remote };
}

function run(targets: RenderTarget[], results: Array<[string, RenderResult]>) {
  const engine = new Engine(new Workspace(), DEFAULT_CONFIG, RULES.filter((r) => r.meta.id === 'privileged-container'));
  engine.workspace.setFile(BASE, POD);
  for (const t of targets) engine.workspace.setFile(t.uri, 'resources: [../base]\n');
  return renderContexts({
    targets,
    results: new Map(results),
    own: (uri) => engine.lint(uri),
    sources: (uri) => engine.workspace.getFile(uri),
    rules: engine.rules,
    config: () => DEFAULT_CONFIG,
    defaultNamespace: 'default',
  });
}

const ok = (yaml: string): RenderResult => ({ ok: true, yaml, resolveOrigin: (path) => new URL(path, 'file:///wrapper/').toString() });

describe('renderContexts', () => {
  test('hardened by the rendered overlay, as written in the one that failed: one finding naming the failed one, and its note', () => {
    const dev = target('overlays/dev');
    const broken = target('overlays/broken');
    const { results, notes } = run([dev, broken], [[dev.uri, ok(RENDERED_HARDENED)], [broken.uri, { ok: false, message: 'boom' }]]);
    assert.deepEqual(results.get(BASE)!.findings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message.slice(0, 50)}`), [
      '7:36 In overlays/broken: Container "app" is privileged,',
    ]);
    assert.deepEqual(notes, [{ uri: broken.uri, start: 0, end: 20, level: 'warning', message: 'kustomize could not render overlays/broken: boom. Its files are checked as written.' }]);
  });

  test('a kustomization with remote resources is never rendered: a note naming them, the files as written', () => {
    const remote = target('overlays/remote', ['https://example.com/a?ref=v1', 'git@github.com:org/b.git']);
    const { results, notes } = run([remote], []);
    assert.equal(results.size, 0, 'nothing rendered: every file keeps its own result');
    assert.deepEqual(notes.map((n) => [n.level, n.message]), [
      ['note', 'overlays/remote was not rendered: it includes the remote resources https://example.com/a?ref=v1, git@github.com:org/b.git, which are never fetched. Its files are checked as written.'],
    ]);
  });
});
