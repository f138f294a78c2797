import * as assert from 'assert';
import * as vscode from 'vscode';
import { assertFindings, codeOf, describe, openFixture, ours, waitForDiagnostics } from './helpers';

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

suite('diagnostics', () => {
  test('a privileged Deployment: source, rule codes, severities and exact ranges', async () => {
    const document = await openFixture('deploy/privileged-web.yaml');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some((d) => codeOf(d) === 'privileged-container') && ds.filter((d) => codeOf(d) === 'run-as-root').length >= 2,
      'privileged-container and two run-as-root findings',
    );
    assertFindings(document, diagnostics, [
      // the container's securityContext lacks runAsNonRoot: the finding sits on that key
      { code: 'run-as-root', range: [23, 10, 23, 25], severity: W, text: 'securityContext', message: /Container "web" does not require a non-root user/ },
      { code: 'privileged-container', range: [24, 24, 24, 28], severity: E, text: 'true', message: /Container "web" is privileged/ },
      { code: 'run-as-root', range: [25, 23, 25, 24], severity: W, text: '0', message: /runAsUser: 0 runs as root\./ },
    ]);
  });

  test('a multi-document file: findings land in the right document, none on the Service', async () => {
    const document = await openFixture('deploy/stack.yaml');
    const diagnostics = await waitForDiagnostics(document.uri, (ds) => ds.some((d) => codeOf(d) === 'run-as-root'), 'run-as-root on the StatefulSet');
    assertFindings(document, diagnostics, [
      { code: 'run-as-root', range: [32, 10, 32, 25], severity: W, text: 'securityContext', message: /Container "redis"/ },
    ]);
    const separator = document.getText().split('\n').indexOf('---');
    assert.strictEqual(separator, 12, 'fixture: the second document starts after line 13');
    const inService = diagnostics.filter((d) => d.range.start.line < separator);
    assert.deepStrictEqual(inService.map((d) => d.message), [], 'the Service document has no findings');
  });

  test('a hardened Deployment has no findings; breaking it adds one, undoing removes it', async () => {
    const document = await openFixture('deploy/hardened-api.yaml');
    const editor = await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').findIndex((l) => l.trim() === 'privileged: false');
    assert.ok(line > 0, 'fixture has `privileged: false`');
    const column = document.lineAt(line).text.indexOf('false');
    // The event path: an edit makes the server lint this file and publish.
    const edited = await editor.edit((b) => b.replace(new vscode.Range(line, column, line, column + 5), 'true'));
    assert.ok(edited, 'edit applied');
    const after = await waitForDiagnostics(document.uri, (ds) => ds.length > 0, 'a finding after the edit');
    assertFindings(document, after, [
      { code: 'privileged-container', range: [line, column, line, column + 4], severity: E, text: 'true' },
    ]);
    assert.deepStrictEqual(after.map(codeOf), ['privileged-container'], `the hardened manifest has no other finding: ${describe(after)}`);
    await vscode.commands.executeCommand('undo');
    assert.ok(document.getText().includes('privileged: false'), 'undo restored the text');
    const clean = await waitForDiagnostics(document.uri, (ds) => ds.length === 0, 'no findings after undo');
    assert.deepStrictEqual(clean, []);
    assert.ok(!document.isDirty, 'back to the saved text');
    assert.strictEqual(ours(document.uri).length, 0);
  });
});
