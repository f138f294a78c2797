// The language server over real LSP stdio: open → diagnostics → code action → apply → clean.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspHarness } from './lsp-harness';
import type { SuppressionMenu, SuppressionRequest } from '../../server/src/protocol/protocol';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          # runs the legacy driver
          securityContext:
            privileged: true
`;

function applyAction(text: string, action: CodeAction): string {
  const change = action.edit?.documentChanges?.[0] as { edits: TextEdit[] };
  return TextDocument.applyEdits(TextDocument.create('x', 'yaml', 1, text), change.edits);
}

describe('language server over stdio', () => {
  let lsp: LspHarness;
  const folder = mkdtempSync(join(tmpdir(), 'kzt-lsp-'));
  before(async () => {
    lsp = await LspHarness.start(folder);
  });
  after(() => lsp.stop());

  test('diagnostics carry source, code, range, severity and a documentation link', async () => {
    const uri = `file://${folder}/web.yaml`;
    lsp.open(uri, MANIFEST);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const privileged = diagnostics.find((d) => d.code === 'privileged-container');
    assert.ok(privileged, JSON.stringify(diagnostics));
    assert.equal(privileged.source, 'kube-zero-trust');
    assert.equal(privileged.severity, 1);
    assert.deepEqual(privileged.range, { start: { line: 12, character: 24 }, end: { line: 12, character: 28 } });
    assert.match(privileged.codeDescription?.href ?? '', /rules\/README\.md#privileged-container$/);
  });

  test('a quick fix applies, keeps the comment and clears its diagnostic', async () => {
    const uri = `file://${folder}/fix.yaml`;
    lsp.open(uri, MANIFEST);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const privileged = diagnostics.find((d) => d.code === 'privileged-container')!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: privileged.range, context: { diagnostics: [privileged] } });
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(actions.some((a) => a.title === 'Suppress privileged-container…'));
    const fixed = applyAction(MANIFEST, fix);
    assert.ok(fixed.includes('# runs the legacy driver'));
    lsp.change(uri, 2, fixed);
    const after = await lsp.diagnosticsFor(uri, 2);
    assert.ok(after.length > 0 && after.every((d) => d.code !== 'privileged-container'), JSON.stringify(after.map((d) => d.code)));
  });

  test('fix all in the file removes every fixable finding in one edit', async () => {
    const uri = `file://${folder}/all.yaml`;
    lsp.open(uri, MANIFEST);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    assert.ok(diagnostics.length > 1);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
    const lazy = actions.find((a) => a.title === 'Fix all zero-trust findings in this file');
    assert.ok(lazy && !lazy.edit, 'fix-all is resolved only when chosen');
    const all = await lsp.request<CodeAction>('codeAction/resolve', lazy);
    const fixed = applyAction(MANIFEST, all);
    lsp.change(uri, 2, fixed);
    const remaining = await lsp.diagnosticsFor(uri, 2);
    assert.ok(remaining.length < diagnostics.length);
    const fixableBefore = diagnostics.filter((d) => ['privileged-container', 'run-as-root'].includes(String(d.code)));
    assert.ok(fixableBefore.length >= 2);
    assert.ok(remaining.every((d) => !['privileged-container', 'run-as-root'].includes(String(d.code))), JSON.stringify(remaining.map((d) => d.code)));
  });

  test('hover on a finding: a line per rule linking to its documentation; on a securityContext field, its meaning', async () => {
    const uri = `file://${folder}/hover.yaml`;
    lsp.open(uri, MANIFEST);
    await lsp.diagnosticsFor(uri, 1);
    const onFinding = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 25 } });
    const markdown = (onFinding.contents as { value: string }).value;
    assert.match(markdown, /^Documentation: \[Privileged container\]\(command:kubeZeroTrust\.showRuleDocumentation\?%5B%22privileged-container%22%5D "privileged-container: documentation"\)$/m);
    assert.doesNotMatch(markdown, /How to fix|Equivalent checks/, 'the whole documentation is one click away, not in the hover');
    const onField = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 14 } });
    assert.match(JSON.stringify(onField.contents), /securityContext\.privileged/);
  });

  test('a hover over five findings stays short (under 1,500 characters)', async () => {
    const uri = `file://${folder}/five.yaml`;
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {}\n';
    lsp.open(uri, pod);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const onContext = diagnostics.filter((d) => d.range.start.line === 7);
    assert.ok(onContext.length >= 5, `${onContext.length} findings on securityContext`);
    const hover = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 8 } });
    const markdown = (hover.contents as { value: string }).value;
    assert.equal(markdown.match(/\(command:kubeZeroTrust\.showRuleDocumentation/g)?.length, new Set(onContext.map((d) => d.code)).size, 'a link per rule');
    assert.ok(markdown.length < 1500, `${markdown.length} characters`);
  });

  test('a broken document does not stop the others from being checked', async () => {
    const uri = `file://${folder}/broken.yaml`;
    lsp.open(uri, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n---\n${MANIFEST}`);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    assert.equal(diagnostics.filter((d) => d.code === 'yaml-syntax').length, 1);
    assert.ok(diagnostics.some((d) => d.code === 'privileged-container' && d.range.start.line === 16));
  });

  test('settings apply without restart: a rule turned off disappears', async () => {
    const uri = `file://${folder}/settings.yaml`;
    lsp.open(uri, MANIFEST);
    assert.ok((await lsp.diagnosticsFor(uri, 1)).some((x) => x.code === 'privileged-container'));
    // The same version is checked again once the server has the new settings.
    lsp.settings = { rules: { 'privileged-container': 'off' } };
    let published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeConfiguration', { settings: null });
    await lsp.diagnosticsFor(uri, 1, { after: published, accept: (d) => d.length > 0 && !d.some((x) => x.code === 'privileged-container') });
    lsp.settings = {};
    published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeConfiguration', { settings: null });
    await lsp.diagnosticsFor(uri, 1, { after: published, accept: (d) => d.some((x) => x.code === 'privileged-container') });
  });

  test('fix-on-save applies only the rules the user opted into', async () => {
    const uri = `file://${folder}/save.yaml`;
    lsp.open(uri, MANIFEST);
    assert.ok((await lsp.diagnosticsFor(uri, 1)).length > 1);
    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.kube-zero-trust'] } };
    assert.deepEqual(await lsp.request<CodeAction[]>('textDocument/codeAction', request), [], 'nothing is fixed on save by default');
    lsp.settings = { fixOnSave: ['run-as-root'] };
    const published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeConfiguration', { settings: null });
    // The server re-checks open documents once it has applied new settings (fixOnSave changes no
    // finding: nothing else re-checks this document meanwhile, so the next publication is that one).
    await lsp.diagnosticsFor(uri, 1, { after: published });
    const [action] = await lsp.request<CodeAction[]>('textDocument/codeAction', request);
    const fixed = applyAction(MANIFEST, action);
    assert.match(fixed, /runAsNonRoot: true/);
    assert.match(fixed, /privileged: true/, 'privileged-container was not opted into');
    lsp.settings = {};
    lsp.notify('workspace/didChangeConfiguration', { settings: null });
  });

  test('audit publishes findings for files that were never opened', async () => {
    writeFileSync(join(folder, 'on-disk.yaml'), MANIFEST);
    const result = await lsp.request<{ files: number; findings: number }>('kzt/auditWorkspace', null);
    assert.ok(result.files >= 1 && result.findings >= 1, JSON.stringify(result));
    const diagnostics = await lsp.waitForDiagnostics(`file://${folder}/on-disk.yaml`, (d) => d.length > 0);
    assert.ok(diagnostics.some((d) => d.code === 'privileged-container'));
  });

  test('the workspace config file applies without reload; an invalid one is reported at its line and the last valid one stays', async () => {
    const uri = `file://${folder}/configured.yaml`;
    const configUri = `file://${folder}/.kube-zero-trust.yaml`;
    lsp.open(uri, MANIFEST);
    assert.ok((await lsp.diagnosticsFor(uri, 1)).some((x) => x.code === 'privileged-container'));
    writeFileSync(join(folder, '.kube-zero-trust.yaml'), 'rules:\n  privileged-container: off\n');
    let published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 1 }] });
    await lsp.diagnosticsFor(uri, 1, { after: published, accept: (d) => d.length > 0 && !d.some((x) => x.code === 'privileged-container') });
    writeFileSync(join(folder, '.kube-zero-trust.yaml'), 'rules:\n  privileged-container: off\nprofile: paranoid\n');
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const errors = await lsp.waitForDiagnostics(configUri, (d) => d.length > 0);
    assert.equal(errors[0].range.start.line, 2);
    assert.equal(errors[0].code, 'config-invalid');
    assert.match(String(errors[0].message), /previous configuration stays in force/);
    rmSync(join(folder, '.kube-zero-trust.yaml'));
    published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 3 }] });
    await lsp.diagnosticsFor(uri, 1, { after: published, accept: (d) => d.some((x) => x.code === 'privileged-container') });
  });

  test('podTemplates in the config file: an open CRD\'s template is checked once it is configured, and no longer once it is removed', async () => {
    const uri = `file://${folder}/webapp.yaml`;
    const configUri = `file://${folder}/.kube-zero-trust.yaml`;
    lsp.open(uri, 'apiVersion: example.com/v1\nkind: WebApp\nmetadata: {name: ui, namespace: shop}\nspec:\n  runtime:\n    template:\n      spec:\n        containers: [{name: ui, image: ui:1, securityContext: {privileged: true}}]\n');
    assert.deepEqual(await lsp.diagnosticsFor(uri, 1), []);
    writeFileSync(join(folder, '.kube-zero-trust.yaml'), 'podTemplates:\n  - {apiVersion: example.com/*, kind: WebApp, path: spec.runtime.template}\n');
    let published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 1 }] });
    const checked = await lsp.diagnosticsFor(uri, 1, { after: published, accept: (d) => d.some((x) => x.code === 'privileged-container') });
    assert.deepEqual(checked.find((x) => x.code === 'privileged-container')!.range, { start: { line: 7, character: 75 }, end: { line: 7, character: 79 } });
    rmSync(join(folder, '.kube-zero-trust.yaml'));
    published = lsp.publicationCount(uri);
    lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 3 }] });
    await lsp.diagnosticsFor(uri, 1, { after: published, accept: (d) => d.length === 0 });
  });

  test('suppress with a reason: the annotation edit carries the reason and silences the finding', async () => {
    const uri = `file://${folder}/suppress.yaml`;
    lsp.open(uri, MANIFEST);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const privileged = diagnostics.find((d) => d.code === 'privileged-container')!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: privileged.range, context: { diagnostics: [privileged] } });
    const suppress = actions.find((a) => a.title === 'Suppress privileged-container…');
    assert.equal(suppress?.command?.command, 'kubeZeroTrust.suppress');
    const menu = suppress!.command!.arguments![0] as SuppressionMenu;
    assert.deepEqual(menu.choices.map((c) => c.ruleId), ['privileged-container']);
    const request: SuppressionRequest = { uri: menu.uri, version: menu.version, ruleId: 'privileged-container', position: menu.choices[0].position, scope: 'resource', reason: 'legacy GPU driver' };
    const edit = await lsp.request<{ documentChanges: Array<{ edits: TextEdit[] }> }>('kzt/suppressEdit', request);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, MANIFEST), edit.documentChanges[0].edits);
    assert.match(fixed, /  annotations:\n    kube-zero-trust\.io\/ignore: "privileged-container" # legacy GPU driver\n/);
    lsp.change(uri, 2, fixed);
    const after = await lsp.diagnosticsFor(uri, 2);
    assert.ok(after.length > 0 && !after.some((x) => x.code === 'privileged-container'), JSON.stringify(after.map((d) => d.code)));
  });

  test('"Apply the restricted security context to this container" resolves to one edit that clears every such finding', async () => {
    const uri = `file://${folder}/restricted.yaml`;
    lsp.open(uri, MANIFEST);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const privileged = diagnostics.find((d) => d.code === 'privileged-container')!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: privileged.range, context: { diagnostics: [privileged] } });
    const lazy = actions.find((a) => a.title === 'Apply the restricted security context to this container (removes privileged: true)');
    assert.ok(lazy, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(actions.every((a) => !a.title.includes('`')), 'menu titles carry no Markdown backticks');
    const fixed = applyAction(MANIFEST, await lsp.request<CodeAction>('codeAction/resolve', lazy));
    assert.ok(fixed.includes('# runs the legacy driver'));
    lsp.change(uri, 2, fixed);
    const rest = await lsp.diagnosticsFor(uri, 2);
    const restricted = ['privileged-container', 'privilege-escalation-allowed', 'run-as-root', 'capabilities-not-dropped', 'seccomp-not-enforced', 'writable-root-filesystem'];
    assert.deepEqual(rest.filter((d) => restricted.includes(String(d.code))).map((d) => d.code), []);
  });

  test('a List: each item has its own diagnostics, and the restricted security context of one item\'s container leaves the other item alone', async () => {
    const uri = `file://${folder}/list.yaml`;
    const item = (kind: string, name: string, volumes = '') =>
      `- apiVersion: apps/v1\n  kind: ${kind}\n  metadata: {name: ${name}}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: app\n          image: app:1\n          securityContext: {privileged: true}\n${volumes}`;
    const list = `apiVersion: v1\nkind: List\nitems:\n${item('Deployment', 'web')}${item('DaemonSet', 'builder', '        volumes:\n        - {name: docker, hostPath: {path: /var/run/docker.sock}}\n')}`;
    lsp.open(uri, list);
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const at = (code: string) => diagnostics.filter((d) => d.code === code).map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]);
    assert.deepEqual(at('privileged-container'), [[12, 40, 44], [22, 40, 44]]);
    assert.deepEqual(at('host-path-volume'), [[24, 42, 62]]);
    const second = diagnostics.find((d) => d.code === 'privileged-container' && d.range.start.line === 22)!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: second.range, context: { diagnostics: [second] } });
    const lazy = actions.find((a) => a.title.startsWith('Apply the restricted security context to this container'))!;
    const fixed = applyAction(list, await lsp.request<CodeAction>('codeAction/resolve', lazy));
    assert.equal(fixed.slice(0, fixed.indexOf('- apiVersion: apps/v1\n  kind: DaemonSet')), list.slice(0, list.indexOf('- apiVersion: apps/v1\n  kind: DaemonSet')), 'the first item is unchanged');
    lsp.change(uri, 2, fixed);
    const rest = await lsp.diagnosticsFor(uri, 2);
    assert.deepEqual(rest.filter((d) => d.code === 'privileged-container').map((d) => d.range.start.line), [12]);
  });

  test('typing a key in a large document: the error of the edited block at once, the exact error when typing pauses', async () => {
    const fields = Array.from({ length: 300 }, (_, i) => `    field${i}:\n      type: object\n      properties:\n        sub:\n          type: string\n          enum: [a, b]\n      description: Field ${i} of the settings.\n`);
    const text = `apiVersion: example.com/v1\nkind: Settings\nmetadata: {name: big}\nspec:\n${fields.join('')}`;
    assert.ok(text.length > 32 * 1024);
    const uri = `file://${folder}/big.yaml`;
    lsp.open(uri, text);
    await lsp.diagnosticsFor(uri, 1);
    // `fo` typed on a new line at the end of field149.
    const line = text.split('\n').indexOf('    field150:');
    lsp.edit(uri, 2, { start: { line, character: 0 }, end: { line, character: 0 } }, '      fo\n');
    const provisional = await lsp.diagnosticsFor(uri, 2);
    const typed = provisional.find((d) => d.code === 'yaml-syntax');
    assert.ok(typed, `the first diagnostics of the edit show the edited block's error: ${JSON.stringify(provisional)}`);
    assert.equal(typed.range.start.line, line);
    // What a cold open of the same text reports; here it differs from the block's own error.
    const lines = text.split('\n');
    lines.splice(line, 0, '      fo');
    const cold = `file://${folder}/big-cold.yaml`;
    lsp.open(cold, lines.join('\n'));
    const exact = (await lsp.diagnosticsFor(cold, 1)).find((d) => d.code === 'yaml-syntax')!;
    assert.notEqual(typed.message, exact.message);
    // Version 2 is published again when typing pauses, with the exact error.
    const settled = await lsp.diagnosticsFor(uri, 2, { accept: (d) => d.some((x) => x.code === 'yaml-syntax' && x.message === exact.message) });
    assert.deepEqual(settled.find((d) => d.code === 'yaml-syntax')!.range, exact.range);
  });

  test('a fix that creates a file beside the manifest: a default-deny NetworkPolicy', async () => {
    const uri = `file://${folder}/ns/app.yaml`;
    lsp.open(uri, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n' + MANIFEST.replace('  name: web\n', '  name: web\n  namespace: shop\n'));
    const diagnostics = await lsp.diagnosticsFor(uri, 1);
    const finding = diagnostics.find((d) => d.code === 'namespace-without-default-deny');
    assert.ok(finding, JSON.stringify(diagnostics.map((d) => d.code)));
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } });
    const newFile = actions.find((a) => a.title.endsWith('in a new file') && !a.title.includes('DNS'));
    assert.ok(newFile, JSON.stringify(actions.map((a) => a.title)));
    const [create, insert] = newFile.edit!.documentChanges!.slice(-2) as [{ kind: string; uri: string }, { edits: TextEdit[] }];
    assert.equal(create.kind, 'create');
    assert.match(create.uri, /\/ns\/default-deny-shop\.yaml$/);
    const policy = insert.edits[0].newText;
    assert.match(policy, /kind: NetworkPolicy/);
    assert.match(policy, /namespace: shop/);
    assert.match(policy, /podSelector: \{\}/);
  });
});
