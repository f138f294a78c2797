import * as assert from 'assert';
import * as vscode from 'vscode';
import { applyConfirmed, codeOf, describe, nextDiagnosticsChange, nextEvent, openFixture, setWorkspaceSetting, waitForDiagnostics, withCode } from './helpers';

/**
 * The quick fixes offered for the range. Whole-file actions are resolved lazily
 * (`codeAction/resolve`): pass `resolve` to have the editor resolve that many actions, as it
 * does for the one the user picks.
 */
async function quickFixes(document: vscode.TextDocument, range: vscode.Range, resolve?: number): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider',
    document.uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
    ...(resolve === undefined ? [] : [resolve]),
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a || 'diagnostics' in a);
}

const RESTRICTED_CONTEXT = ['privileged-container', 'privilege-escalation-allowed', 'run-as-root', 'capabilities-not-dropped', 'seccomp-not-enforced', 'writable-root-filesystem'];
const FIX_ALL = 'Fix all zero-trust findings in this file';
const RESTRICTED = 'Apply the restricted security context to this container';

function withoutLine(text: string, line: number): string {
  const lines = text.split('\n');
  lines.splice(line, 1);
  return lines.join('\n');
}

suite('code actions', () => {
  test('the quick fix "Remove privileged: true" removes the line, its diagnostic goes, the comments stay', async () => {
    const document = await openFixture('fixes/quick-fix.yaml');
    const original = document.getText();
    const [diagnostic] = await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container')
      .then((ds) => ds.filter((d) => codeOf(d) === 'privileged-container'));
    assert.strictEqual(diagnostic.range.start.line, 22);

    const actions = await quickFixes(document, diagnostic.range);
    const titles = actions.map((a) => a.title);
    assert.deepStrictEqual(titles.filter((t) => t.includes('`')), [], 'menu titles are plain text: the menu does not render Markdown');
    const fix = actions.find((a) => a.title === 'Remove privileged: true');
    assert.ok(fix, `the rule's fix is offered; got ${JSON.stringify(titles)}`);
    assert.ok(fix.kind?.contains(vscode.CodeActionKind.QuickFix), 'a quick fix');
    assert.strictEqual(fix.isPreferred, true, 'preferred, so Ctrl+. Enter and "auto fix" pick it');
    // (vscode.executeCodeActionProvider does not return an action's `diagnostics`; the UI test
    // checks that Ctrl+. on the squiggle offers this fix.)
    assert.ok(fix.edit, 'carries its edit');
    assert.deepStrictEqual(titles.filter((t) => t.startsWith('Suppress')), ['Suppress privileged-container…'], `one suppression entry; got ${JSON.stringify(titles)}`);

    const cleared = waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container gone');
    assert.ok(await applyConfirmed(fix.edit), 'edit applied');
    await cleared;
    assert.strictEqual(document.getText(), withoutLine(original, 22), 'exactly the `privileged: true` line is removed');
    assert.ok(document.getText().includes('            # was needed for the old kernel module; not any more\n            readOnlyRootFilesystem: true'), 'the comment above stays, followed by the next key');
    assert.ok(document.getText().startsWith('# Log shipper. The comments in this file must survive the quick fix.\n'));
    assert.deepStrictEqual(withCode(document.uri, 'yaml-syntax'), [], 'the fixed text is valid YAML');
  });

  test('"Suppress…" asks where and why, writes a kzt-ignore comment with the reason, and the finding goes', async () => {
    const document = await openFixture('fixes/suppress.yaml');
    const [diagnostic] = await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container')
      .then((ds) => ds.filter((d) => codeOf(d) === 'privileged-container'));
    const line = diagnostic.range.start.line;
    const actions = await quickFixes(document, diagnostic.range);
    const suppress = actions.find((a) => a.title === 'Suppress privileged-container…');
    assert.ok(suppress, `suppression offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    const cleared = waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container suppressed');
    const reason = 'the node agent loads eBPF programs';
    if (suppress.edit) {
      assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    } else {
      // The action runs a command that asks where (a quick pick: on this line is the first
      // choice) and why; both can be passed as its arguments, as the quick pick and input box would.
      assert.ok(suppress.command, 'the action has an edit or a command');
      const applied = await vscode.commands.executeCommand(suppress.command.command, ...(suppress.command.arguments ?? []), reason, 0);
      assert.strictEqual(applied, true, 'the suppression edit was applied');
    }
    await cleared;
    assert.match(document.lineAt(line).text, /^\s*# kzt-ignore privileged-container\b/, 'the comment is on the line above the finding');
    if (!suppress.edit) assert.ok(document.lineAt(line).text.includes(reason), `the reason is kept: ${document.lineAt(line).text}`);
    assert.match(document.lineAt(line + 1).text, /^\s*privileged: true$/);
  });

  test('whole-file actions are resolved when chosen: the restricted context for one container, then fix all', async () => {
    const document = await openFixture('fixes/fix-all.yaml');
    const inWorker = (d: vscode.Diagnostic) => d.range.start.line >= 17 && d.range.start.line <= 20;
    const inUploader = (d: vscode.Diagnostic) => d.range.start.line >= 21;
    const before = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some((d) => codeOf(d) === 'privileged-container') && ds.some((d) => codeOf(d) === 'privilege-escalation-allowed' && inUploader(d)),
      'both containers\' findings',
    );
    const privileged = before.find((d) => codeOf(d) === 'privileged-container')!;
    assert.strictEqual(privileged.range.start.line, 20, 'fixture: `privileged: true` of container "worker" on line 21');

    // Listed without their edit: computing it re-lints the whole file, so it waits for the choice.
    const listed = await quickFixes(document, privileged.range);
    for (const title of [RESTRICTED, FIX_ALL]) {
      // The combined fix's title says what it removes: "… (removes privileged: true, …)".
      const action = listed.find((a) => a.title.startsWith(title));
      assert.ok(action, `"${title}" offered; got ${JSON.stringify(listed.map((a) => a.title))}`);
      assert.strictEqual(action.edit, undefined, `"${title}" is resolved lazily`);
    }

    // Resolved (as when picked from the menu), the combined fix hardens only this container.
    const resolved = await quickFixes(document, privileged.range, listed.length);
    const restricted = resolved.find((a) => a.title.startsWith(RESTRICTED));
    assert.ok(restricted?.edit, 'the resolved action carries its edit');
    const hardened = waitForDiagnostics(
      document.uri,
      (ds) => !ds.some((d) => RESTRICTED_CONTEXT.includes(String(codeOf(d))) && inWorker(d)),
      'container "worker" hardened',
    );
    assert.ok(await applyConfirmed(restricted.edit));
    const afterOne = await hardened;
    for (const rule of RESTRICTED_CONTEXT.filter((r) => r !== 'privileged-container')) {
      assert.ok(afterOne.some((d) => codeOf(d) === rule && inUploader(d)), `${rule} still reported on container "uploader": ${describe(afterOne)}`);
    }
    const worker = document.getText().split('\n').slice(17, 28).join('\n');
    assert.ok(!/^\s*privileged: true/m.test(worker), worker);
    for (const line of ['runAsNonRoot: true', 'allowPrivilegeEscalation: false', 'readOnlyRootFilesystem: true', 'type: RuntimeDefault']) {
      assert.ok(worker.includes(line), `container "worker" gets ${line}:\n${worker}`);
    }

    // "Fix all" on any finding of the file: every finding with an automatic fix goes.
    const anchor = afterOne.find((d) => codeOf(d) === 'privilege-escalation-allowed' && inUploader(d))!;
    const all = (await quickFixes(document, anchor.range, 20)).find((a) => a.title === FIX_ALL);
    assert.ok(all?.edit, 'fix all resolved with its edit');
    const fixed = waitForDiagnostics(document.uri, (ds) => !ds.some((d) => RESTRICTED_CONTEXT.includes(String(codeOf(d)))), 'every restricted-context finding fixed');
    assert.ok(await applyConfirmed(all.edit));
    const after = await fixed;
    assert.deepStrictEqual(withCode(document.uri, 'yaml-syntax'), [], 'the fixed text is valid YAML');
    assert.ok(after.some((d) => codeOf(d) === 'resource-limits-missing'), `a finding without an automatic fix stays: ${describe(after)}`);
    for (const rule of ['default-service-account', 'service-account-token-automount', 'namespace-without-default-deny']) {
      assert.ok(!after.some((d) => codeOf(d) === rule), `${rule} fixed too: ${describe(after)}`);
    }
    assert.ok(document.getText().startsWith('# Batch workers:'), 'the leading comment stays');
  });

  test('fix on save: kubeZeroTrust.fixOnSave + editor.codeActionsOnSave apply the fix when saving', async () => {
    const document = await openFixture('fixes/fix-on-save.yaml');
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container');

    // The server republishes open files once it has read new settings: wait for that.
    const republished = nextDiagnosticsChange(document.uri, 'the server to apply kubeZeroTrust.fixOnSave');
    const undo = [
      await setWorkspaceSetting('editor', 'codeActionsOnSave', { 'source.fixAll.kube-zero-trust': 'explicit' }),
      await setWorkspaceSetting('kubeZeroTrust', 'fixOnSave', ['privileged-container']),
    ];
    try {
      await republished;
      // A user edit first, so that the save is a real one.
      const end = document.lineAt(document.lineCount - 1).range.end;
      assert.ok(await editor.edit((b) => b.insert(end, '# reviewed\n')));
      const saved = nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d.uri.toString() === document.uri.toString(), 'the save');
      await vscode.commands.executeCommand('workbench.action.files.save');
      await saved;
      await waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container fixed on save');
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri));
      assert.ok(!/^\s*privileged: true/m.test(onDisk), `the saved file has no \`privileged: true\`:\n${onDisk}`);
      assert.ok(onDisk.includes('            # privileged: true # temporary\n'), 'its reason stays, commented out with it');
      assert.ok(onDisk.includes('            readOnlyRootFilesystem: true\n# reviewed\n'), 'the rest of the file and the user edit are kept');
      assert.strictEqual(document.isDirty, false);
      assert.deepStrictEqual(describe(withCode(document.uri, 'yaml-syntax')), '(none)');
    } finally {
      for (const u of undo.reverse()) await u();
    }
  });
});
