// Fixes that change how a workload runs ask first: their edits carry an LSP change annotation
// with `needsConfirmation` (VS Code shows its refactor preview), their titles say what they
// remove, fix-all asks when it contains one, and files that say they are generated get no
// fix-all. The quick-fix menu lists fixes first and one "Suppress…".
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnnotatedTextEdit, CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SuppressionMenu } from '../../server/src/protocol/protocol';
import { LspHarness } from './lsp-harness';

/** The case of the issue: a privileged container whose comment says why, and an added capability. */
const NET_AGENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: net-agent
  namespace: tools
spec:
  selector: {matchLabels: {app: net-agent}}
  template:
    metadata: {labels: {app: net-agent}}
    spec:
      containers:
        - name: agent
          image: registry.example/agent:1.4
          securityContext:
            privileged: true # "it didn't start without it"
            capabilities:
              add: ["NET_ADMIN"]
`;

function apply(text: string, action: CodeAction): string {
  const change = action.edit?.documentChanges?.[0] as { edits: TextEdit[] };
  return TextDocument.applyEdits(TextDocument.create('x', 'yaml', 1, text), change.edits);
}

function annotationsOf(action: CodeAction): string[] {
  return (action.edit?.documentChanges ?? []).flatMap((c) => ('edits' in c ? c.edits.map((e) => (e as AnnotatedTextEdit).annotationId ?? '(none)') : []));
}

describe('fixes that change behaviour ask first', () => {
  let lsp: LspHarness;
  const folder = mkdtempSync(join(tmpdir(), 'kzt-confirm-'));
  before(async () => {
    lsp = await LspHarness.start(folder);
  });
  after(() => {
    lsp.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  async function menu(uri: string, text: string, pick: (d: Diagnostic) => boolean): Promise<{ actions: CodeAction[]; diagnostics: Diagnostic[] }> {
    lsp.open(uri, text);
    const all = await lsp.diagnosticsFor(uri, 1);
    const diagnostics = all.filter(pick);
    assert.ok(diagnostics.length, JSON.stringify(all.map((d) => d.code)));
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
    return { actions, diagnostics };
  }

  test('removing privileged: true needs confirmation, and its comment stays with the value commented out', async () => {
    const uri = `file://${folder}/privileged.yaml`;
    const { actions } = await menu(uri, NET_AGENT, (d) => d.code === 'privileged-container');
    const fix = actions.find((a) => a.title === 'Remove privileged: true')!;
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(fix.edit?.changeAnnotations, {
      'kube-zero-trust.changes-behaviour': { label: 'Changes how the workload runs', description: 'Changes how the workload runs: removes privileged: true.', needsConfirmation: true },
    });
    assert.deepEqual(annotationsOf(fix), ['kube-zero-trust.changes-behaviour']);
    assert.equal(apply(NET_AGENT, fix), NET_AGENT.replace('            privileged: true #', '            # privileged: true #'));
  });

  test('the restricted context title says what it removes; resolved, it needs confirmation and keeps the comment', async () => {
    const uri = `file://${folder}/restricted.yaml`;
    const { actions } = await menu(uri, NET_AGENT, (d) => d.code === 'privileged-container');
    const lazy = actions.find((a) => a.title.startsWith('Apply the restricted security context to this container'))!;
    // The title names what the findings present ask to remove: a privileged container has no capabilities-not-dropped finding
    // of its own (privileged-container is its one finding); the resolved edit, fixed pass after pass, drops them too.
    assert.equal(lazy.title, 'Apply the restricted security context to this container (removes privileged: true, NET_ADMIN)');
    const resolved = await lsp.request<CodeAction>('codeAction/resolve', lazy);
    assert.equal(resolved.edit?.changeAnnotations?.['kube-zero-trust.changes-behaviour']?.needsConfirmation, true);
    assert.match(resolved.edit!.changeAnnotations!['kube-zero-trust.changes-behaviour'].description!, /removes privileged: true, .*NET_ADMIN/);
    const fixed = apply(NET_AGENT, resolved);
    assert.match(fixed, /# privileged: true # "it didn't start without it"/);
    assert.doesNotMatch(fixed, /NET_ADMIN/);
    assert.match(fixed, /drop: \["ALL"\]/);
  });

  test('fix-all asks first when a fix in it changes behaviour; a fix that changes none does not', async () => {
    const uri = `file://${folder}/all.yaml`;
    const { actions } = await menu(uri, NET_AGENT, () => true);
    const lazy = actions.find((a) => a.title === 'Fix all zero-trust findings in this file')!;
    const resolved = await lsp.request<CodeAction>('codeAction/resolve', lazy);
    assert.equal(resolved.edit?.changeAnnotations?.['kube-zero-trust.changes-behaviour']?.needsConfirmation, true);

    const seccompOnly = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: tools}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: c
      image: registry.example/c:1
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`;
    const quiet = await menu(`file://${folder}/seccomp.yaml`, seccompOnly, (d) => d.code === 'seccomp-not-enforced');
    const seccomp = quiet.actions.find((a) => a.title === 'Set seccompProfile: {type: RuntimeDefault}')!;
    assert.ok(seccomp, JSON.stringify(quiet.actions.map((a) => a.title)));
    assert.equal(seccomp.edit?.changeAnnotations, undefined);
    assert.deepEqual(annotationsOf(seccomp), ['(none)']);
  });

  test('a file that says it is generated gets no fix-all, only single fixes', async () => {
    const uri = `file://${folder}/generated.yaml`;
    const generated = `# ----------------------------------------------------------\n# WARNING: This file is autogenerated. Do not manually edit.\n# ----------------------------------------------------------\n---\n${NET_AGENT}`;
    const { actions } = await menu(uri, generated, () => true);
    const titles = actions.map((a) => a.title);
    assert.ok(!titles.includes('Fix all zero-trust findings in this file'), titles.join(' | '));
    assert.ok(titles.includes('Remove privileged: true'), titles.join(' | '));
  });

  test('the menu on a node with five findings: the fixes first, then one "Suppress…" with every finding; no documentation entries', async () => {
    const uri = `file://${folder}/five.yaml`;
    const text = readFileSync(join(__dirname, '..', 'e2e', 'fixtures', 'workspace', 'fixes', 'five-findings.yaml'), 'utf8');
    lsp.open(uri, text);
    const all = await lsp.diagnosticsFor(uri, 1);
    const line = text.split('\n').findIndex((l) => l.trim() === 'securityContext:');
    const atNode = all.filter((d) => d.range.start.line === line);
    assert.equal(atNode.length, 5, JSON.stringify(all.map((d) => [d.code, d.range.start.line])));
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: atNode[0].range, context: { diagnostics: atNode } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.length <= 9, titles.join(' | '));
    assert.deepEqual(titles.filter((t) => t.startsWith('Suppress')), ['Suppress…']);
    assert.equal(titles[titles.length - 1], 'Suppress…');
    assert.ok(!titles.some((t) => /documentation/i.test(t)), titles.join(' | '));
    const menuArg = actions[actions.length - 1].command!.arguments![0] as SuppressionMenu;
    assert.equal(menuArg.choices.length, 5);
  });
});
