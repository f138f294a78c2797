// The kustomize runner against the real `kubectl kustomize` (installed here and in CI).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { resolveKustomizeCommand } from '../../../server/src/kustomize-runner/command';
import { buildError, renderKustomization } from '../../../server/src/kustomize-runner/render';
import { renderAll } from '../../../server/src/kustomize-runner/render-all';

function tree(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kzt-runner-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const kubectl = resolveKustomizeCommand('kubectl')!;

describe('kustomize command', () => {
  test('auto finds kustomize or kubectl on PATH; off and unknown programs give none', () => {
    const auto = resolveKustomizeCommand('auto');
    assert.ok(auto, 'kubectl is installed');
    assert.deepEqual(auto.args, auto.program.endsWith('kustomize') ? ['build'] : ['kustomize']);
    assert.equal(resolveKustomizeCommand('off'), undefined);
    assert.equal(resolveKustomizeCommand('auto', { PATH: '' }), undefined);
    assert.equal(resolveKustomizeCommand('no-such-program-kzt'), undefined);
  });

  test('a command with arguments keeps them; kubectl alone gets kustomize, another program build', () => {
    assert.deepEqual(resolveKustomizeCommand('kubectl kustomize --load-restrictor=LoadRestrictionsRootOnly')?.args, ['kustomize', '--load-restrictor=LoadRestrictionsRootOnly']);
    assert.deepEqual(kubectl.args, ['kustomize']);
    const bin = tree({ 'kustomize': '#!/bin/sh\n' });
    chmodSync(join(bin, 'kustomize'), 0o755);
    assert.deepEqual(resolveKustomizeCommand(join(bin, 'kustomize')), { program: join(bin, 'kustomize'), args: ['build'] });
    assert.deepEqual(resolveKustomizeCommand('auto', { PATH: bin }), { program: join(bin, 'kustomize'), args: ['build'] });
  });

  test('PATH entries that are not absolute (the working directory, maybe the repository) are never searched', () => {
    const bin = tree({ 'kubectl': '#!/bin/sh\n' });
    chmodSync(join(bin, 'kubectl'), 0o755);
    const cwd = process.cwd();
    process.chdir(bin);
    try {
      assert.equal(resolveKustomizeCommand('auto', { PATH: `.${':'}` }), undefined);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('renderKustomization', () => {
  test('renders through a wrapper with origin annotations, resolved to the source files; the user\'s folder is not written', async () => {
    const dir = tree({
      'base/kustomization.yaml': 'resources: [pod.yaml]\n',
      'base/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: app, image: nginx}]}\n',
      'overlay/kustomization.yaml': 'resources: [../base]\nnamePrefix: dev-\n',
    });
    const outcome = await renderKustomization(join(dir, 'overlay'), kubectl);
    assert.ok(outcome.ok);
    assert.match(outcome.yaml, /name: dev-web/);
    const origin = /path: (\S+)/.exec(outcome.yaml)![1];
    assert.equal(outcome.resolveOrigin(origin), join(dir, 'base/pod.yaml'));
    assert.deepEqual(readdirSync(join(dir, 'overlay')), ['kustomization.yaml']);
  });

  test('a failing build gives kustomize\'s message without the wrapper\'s layer', async () => {
    const dir = tree({ 'bad/kustomization.yaml': 'resources: [missing.yaml]\n' });
    const outcome = await renderKustomization(join(dir, 'bad'), kubectl);
    assert.ok(!outcome.ok);
    assert.match(outcome.message, /^accumulating resources: accumulation err='accumulating resources from 'missing\.yaml'/);
    assert.doesNotMatch(outcome.message, /kzt-kustomize-|\n/);
  });

  test('nothing is fetched: a remote resource fails offline', async () => {
    const dir = tree({ 'remote/kustomization.yaml': 'resources: ["https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0"]\n' });
    const started = Date.now();
    const outcome = await renderKustomization(join(dir, 'remote'), kubectl);
    assert.ok(!outcome.ok);
    assert.match(outcome.message, /127\.0\.0\.1:9|not allowed/);
    assert.ok(Date.now() - started < 20_000);
  });

  test('output over the limit and builds over the time limit are stopped', async () => {
    const dir = tree({ 'k/kustomization.yaml': 'resources: [cm.yaml]\n', 'k/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {a: "${'x'.repeat(4096)}"}\n` });
    const big = await renderKustomization(join(dir, 'k'), kubectl, { timeoutMs: 30_000, maxBytes: 1024 });
    assert.deepEqual(big, { ok: false, message: 'the rendered output is larger than 1024 bytes' });
    const sleeper = tree({ 'sleep': '#!/bin/sh\nsleep 5\n' });
    chmodSync(join(sleeper, 'sleep'), 0o755);
    const slow = await renderKustomization(join(dir, 'k'), { program: join(sleeper, 'sleep'), args: [] }, { timeoutMs: 200, maxBytes: 1024 });
    assert.deepEqual(slow, { ok: false, message: 'kustomize did not finish within 0.2 s' });
  });

  test('renderAll keeps the order of the folders and reports progress', async () => {
    const dir = tree({ 'a/kustomization.yaml': 'resources: []\n', 'b/kustomization.yaml': 'resources: [nope.yaml]\n' });
    const seen: number[] = [];
    const outcomes = await renderAll([join(dir, 'a'), join(dir, 'b')], kubectl, { concurrency: 2, onProgress: (done) => seen.push(done) });
    assert.deepEqual(outcomes.map((o) => o.ok), [true, false]);
    assert.deepEqual(seen, [1, 2]);
  });
});

describe('buildError', () => {
  test('kubectl\'s log prefix and quoting are removed, lines joined, the message bounded', () => {
    const stderr = 'E1205 09:03:53.965044   26148 run.go:72] "command failed" err=<\n\taccumulating resources: boom\n\t: exit status 128\n >\n';
    assert.equal(buildError(stderr, '/tmp/w', '/repo/o'), 'accumulating resources: boom : exit status 128');
    assert.equal(buildError(`Error: ${'y'.repeat(700)}`, '/tmp/w', '/repo/o').length, 601);
    assert.equal(buildError('', '/tmp/w', '/repo/o'), 'kustomize failed without a message');
    assert.doesNotMatch(buildError('Error: bad \u001b[31mred\u001b[0m \u202eevil', '/tmp/w', '/repo/o'), /[\u001b\u202e]/);
  });
});
