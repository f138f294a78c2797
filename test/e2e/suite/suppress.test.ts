import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SuppressionMenu } from '../../../server/src/protocol/protocol';
import { audit, codeOf, itemsOf, openFixture, waitForDiagnostics } from './helpers';

const REASON = 'the CNI plugin programs the node network: needs the host network namespace';

suite('suppress with a reason', () => {
  test('"Suppress host-namespace for this resource…" writes the annotation with the reason; the finding leaves Problems and is listed as suppressed', async () => {
    const document = await openFixture('fixes/suppress-resource.yaml');
    const diagnostics = await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'host-namespace'), 'host-namespace');
    const finding = diagnostics.find((d) => codeOf(d) === 'host-namespace')!;
    assert.strictEqual(document.getText(finding.range), 'true', 'fixture: on `hostNetwork: true`');
    const others = diagnostics.filter((d) => codeOf(d) !== 'host-namespace').length;

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, finding.range, vscode.CodeActionKind.QuickFix.value);
    const suppress = actions.find((a) => a.title.startsWith('Suppress'));
    const title = 'Suppress…';
    assert.ok(suppress, `"${title}" offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.strictEqual(suppress.edit, undefined, 'no edit before the reason is known');
    assert.strictEqual(suppress.command?.command, 'kubeZeroTrust.suppress', 'it runs the command that asks for the reason');

    const gone = waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'host-namespace'), 'host-namespace suppressed');
    // The reason as the last argument stands in for the input box (the UI test types one).
    // The menu's one "Suppress…" lists each finding on this line and for its resource: pick host-namespace, resource.
    const menu = suppress.command.arguments![0] as SuppressionMenu;
    const choice = menu.choices.findIndex((c) => c.ruleId === 'host-namespace') * 2 + 1;
    const applied = await vscode.commands.executeCommand(suppress.command.command, menu, REASON, choice);
    assert.strictEqual(applied, true, 'the edit was applied');
    const after = await gone;
    assert.strictEqual(after.filter((d) => codeOf(d) !== 'host-namespace').length, others, 'the other findings of the resource stay');

    const lines = document.getText().split('\n');
    const annotation = lines.findIndex((l) => l.includes('kube-zero-trust.io/ignore'));
    assert.ok(annotation > 0, `the annotation is written:\n${document.getText()}`);
    assert.strictEqual(lines[annotation], `    kube-zero-trust.io/ignore: "host-namespace" # ${REASON}`);
    assert.strictEqual(lines[annotation - 1], '  annotations:');
    assert.ok(lines.slice(0, annotation).some((l) => l === '  name: cni-agent'), 'under the DaemonSet\'s metadata');
    assert.ok(lines.includes('      hostNetwork: true'), 'the manifest itself is unchanged');

    // The audit lists it as suppressed by the annotation, with the reason.
    const result = await audit();
    const listed = itemsOf(result, document.uri).filter((i) => i.ruleId === 'host-namespace');
    assert.deepStrictEqual(listed.map((i) => i.suppressed), [{ by: 'annotation', reason: REASON }]);
  });

  test('a stale request (the document changed since the menu was shown) writes nothing', async () => {
    const document = await openFixture('fixes/suppress-resource.yaml');
    const diagnostics = await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'run-as-root'), 'run-as-root');
    const finding = diagnostics.find((d) => codeOf(d) === 'run-as-root')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, finding.range, vscode.CodeActionKind.QuickFix.value);
    const suppress = actions.find((a) => a.title.startsWith('Suppress'));
    assert.ok(suppress?.command);
    const menu = suppress.command.arguments![0] as SuppressionMenu;
    const choice = menu.choices.findIndex((c) => c.ruleId === 'run-as-root') * 2;
    const editor = await vscode.window.showTextDocument(document);
    const end = document.lineAt(document.lineCount - 1).range.end;
    assert.ok(await editor.edit((b) => b.insert(end, '# edited\n')));
    const text = document.getText();
    const applied = await vscode.commands.executeCommand(suppress.command.command, menu, 'too late', choice);
    assert.strictEqual(applied, false, 'the command reports that nothing was written');
    assert.strictEqual(document.getText(), text);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
