import * as assert from 'assert';
import * as vscode from 'vscode';
import { assertFindings, codeOf, fixtureUri, ours, waitForDiagnostics } from './helpers';

interface AuditResult {
  files: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
}

const NEVER_OPENED = 'audit/nightly-job.yml';

suite('audit workspace', () => {
  test('"Audit Workspace" reports findings for files that were never opened', async () => {
    const uri = fixtureUri(NEVER_OPENED);
    const isOpen = () => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    assert.ok(!isOpen(), `${NEVER_OPENED} is not open`);
    assert.deepStrictEqual(ours(uri), [], 'no diagnostics before the audit');

    const all = await vscode.workspace.findFiles('**/*.{yaml,yml}');
    const found = waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => codeOf(d) === 'privileged-container') && ds.some((d) => codeOf(d) === 'run-as-root'),
      'audit findings',
    );
    const result = await vscode.commands.executeCommand<AuditResult>('kubeZeroTrust.auditWorkspace');
    assert.ok(result, 'the command returns the audit result');
    assert.strictEqual(result.cancelled, false);
    assert.strictEqual(result.files, all.length, 'every manifest of the workspace was audited');
    assert.ok(result.findings >= 10 && result.filesWithFindings >= 6, `findings across the workspace: ${JSON.stringify(result)}`);

    const diagnostics = await found;
    assert.ok(!isOpen(), 'the audit did not open the file');
    const document = await vscode.workspace.openTextDocument(uri); // only now, to check the ranges' text
    assertFindings(document, diagnostics, [
      { code: 'run-as-root', range: [16, 14, 16, 29], severity: vscode.DiagnosticSeverity.Warning, text: 'securityContext', message: /Container "report"/ },
      { code: 'privileged-container', range: [17, 28, 17, 32], severity: vscode.DiagnosticSeverity.Error, text: 'true', message: /Container "report"/ },
    ]);
    // The hardened manifest was audited too and stays clean.
    assert.deepStrictEqual(ours(fixtureUri('deploy/hardened-api.yaml')), []);
  });
});
