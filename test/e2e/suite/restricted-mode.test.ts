import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, EXTENSION_ID, openFixture, waitForDiagnostics } from './helpers';

suite('workspace trust', () => {
  test('the extension activates and reports in the workspace trust state of this host', async () => {
    const host = process.env.KZT_E2E_HOST;
    if (host === 'web') {
      // code-server in test mode refuses the trust dialog: Restricted Mode.
      assert.strictEqual(vscode.workspace.isTrusted, false, 'the web suite runs in Restricted Mode');
    } else if (host === 'electron') {
      // @vscode/test-electron starts VS Code with --disable-workspace-trust.
      assert.strictEqual(vscode.workspace.isTrusted, true);
    } else {
      assert.fail(`KZT_E2E_HOST must be web or electron, got ${String(host)}`);
    }
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const capabilities = (extension.packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } }).capabilities;
    // Limited: everything is checked in Restricted Mode; only kustomizations are not rendered there.
    assert.strictEqual(capabilities?.untrustedWorkspaces?.supported, 'limited', 'declares Restricted Mode support');

    const document = await openFixture('deploy/privileged-web.yaml');
    await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'privileged-container'), 'findings in this trust state');
    assert.strictEqual(extension.isActive, true, 'activated without the user trusting the folder');
  });
});
