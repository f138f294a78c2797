import * as assert from 'assert';
import * as vscode from 'vscode';
import { applyConfirmed, codeOf, openFixture, replaceText, waitForDiagnostics } from './helpers';

/**
 * A Kustomize base opened in the editor is judged as each overlay deploys it: the dev overlay
 * binds `edit` to the API's ServiceAccount, so the base Deployment's token finding names
 * dev; its fix, applied, removes it in every overlay.
 */
suite('Kustomize', () => {
  test("open a base file, see the dev overlay's finding named, apply its fix", async () => {
    const document = await openFixture('kustomize/base/deployment.yaml', true);
    const original = document.getText();
    try {
      const named = (ds: readonly vscode.Diagnostic[]) => ds.find((d) => codeOf(d) === 'service-account-token-automount' && d.message.startsWith('In kustomize/overlays/dev:'));
      const diagnostics = await waitForDiagnostics(document.uri, (ds) => named(ds) !== undefined, "the dev overlay's token finding");
      const dev = named(diagnostics)!;
      assert.match(dev.message, /bound by RoleBinding payments-api-debug to ClusterRole edit/);
      assert.strictEqual(dev.range.start.line, 14);

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, dev.range, vscode.CodeActionKind.QuickFix.value);
      // The title goes on to say what the fix changes; the edit asks for confirmation (the refactor preview).
      const fix = actions.find((a) => a.title.startsWith('Set automountServiceAccountToken: false on the pod spec'));
      assert.ok(fix?.edit, `the fix is offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(await applyConfirmed(fix.edit));
      assert.match(document.getText(), /\n {6}automountServiceAccountToken: false\n/);
      await waitForDiagnostics(document.uri, (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === 'service-account-token-automount'), 'no token finding in any overlay');
    } finally {
      await replaceText(document, original);
      await document.save();
    }
  });
});
