import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, hoverText, openFixture, waitForDiagnostics } from './helpers';

suite('hover', () => {
  test('hovering a finding shows a line for its rule with a link to the rule documentation', async () => {
    const document = await openFixture('deploy/privileged-web.yaml');
    const [finding] = (await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'privileged-container'), 'privileged-container'))
      .filter((d) => codeOf(d) === 'privileged-container');
    const inside = finding.range.start.translate(0, 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, inside);
    const text = hoverText(hovers ?? []);
    // The editor shows the diagnostic's message above the hover already: the hover adds the rule's line.
    assert.ok(!text.includes(finding.message), `the hover does not repeat the diagnostic message: ${text.slice(0, 300)}`);
    assert.match(text, /Documentation: \[Privileged container\]\(command:kubeZeroTrust\.showRuleDocumentation\?%5B%22privileged-container%22%5D "privileged-container: documentation"\)/, 'the rule\'s title links to its documentation');
    assert.ok(!/How to fix/.test(text), 'the whole documentation is one click away, not in the hover');
    assert.ok(!/run-as-root/.test(text), 'only the rules under the cursor');
  });

  test('hovering a line without a finding shows no rule documentation', async () => {
    const document = await openFixture('deploy/privileged-web.yaml');
    await waitForDiagnostics(document.uri, (ds) => ds.length > 0, 'findings');
    const replicas = document.getText().split('\n').findIndex((l) => l.trim() === 'replicas: 2');
    assert.ok(replicas > 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(replicas, 4));
    const text = hoverText(hovers ?? []);
    assert.ok(!/privileged-container|run-as-root/.test(text), `no rule documentation on \`replicas\`, got: ${text.slice(0, 200)}`);
  });

  test('"Show Rule Documentation" serves the rule page inside the editor', async () => {
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      const listener = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.uri.scheme === 'kube-zero-trust-docs') {
          listener.dispose();
          resolve(d);
        }
      });
    });
    await vscode.commands.executeCommand('kubeZeroTrust.showRuleDocumentation', 'run-as-root');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the documentation page never opened')), 20_000));
    const page = await Promise.race([opened, timeout]);
    assert.strictEqual(page.uri.path, '/run-as-root.md');
    assert.match(page.getText(), /^# run-as-root/m);
    assert.match(page.getText(), /\*\*Container may run as root\*\*/);
  });
});
