import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, openFixture, setWorkspaceSetting, waitForDiagnostics, withCode } from './helpers';

const FILE = 'deploy/privileged-web.yaml';
const hasBoth = (ds: vscode.Diagnostic[]) =>
  ds.some((d) => codeOf(d) === 'privileged-container') && ds.filter((d) => codeOf(d) === 'run-as-root').length === 2;

suite('settings', () => {
  test('kubeZeroTrust.rules {"run-as-root": "off"} removes that rule\'s findings without a reload; restoring brings them back', async () => {
    const document = await openFixture(FILE);
    await waitForDiagnostics(document.uri, hasBoth, 'both rules\' findings');
    const restore = await setWorkspaceSetting('kubeZeroTrust', 'rules', { 'run-as-root': 'off' });
    let restored = false;
    try {
      const off = await waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'run-as-root'), 'run-as-root turned off');
      assert.strictEqual(off.filter((d) => codeOf(d) === 'privileged-container').length, 1, 'the other rule still reports');
      await restore();
      restored = true;
      await waitForDiagnostics(document.uri, hasBoth, 'run-as-root back after restoring the setting');
    } finally {
      if (!restored) await restore();
    }
  });

  test('a per-rule severity overrides the default severity', async () => {
    const document = await openFixture(FILE);
    await waitForDiagnostics(document.uri, hasBoth, 'both rules\' findings');
    assert.strictEqual(withCode(document.uri, 'privileged-container')[0].severity, vscode.DiagnosticSeverity.Error);
    const restore = await setWorkspaceSetting('kubeZeroTrust', 'rules', { 'privileged-container': 'info' });
    try {
      await waitForDiagnostics(
        document.uri,
        (ds) => ds.some((d) => codeOf(d) === 'privileged-container' && d.severity === vscode.DiagnosticSeverity.Information),
        'privileged-container as information',
      );
    } finally {
      await restore();
    }
    await waitForDiagnostics(
      document.uri,
      (ds) => ds.some((d) => codeOf(d) === 'privileged-container' && d.severity === vscode.DiagnosticSeverity.Error),
      'privileged-container back to error',
    );
  });

  test('kubeZeroTrust.profile "baseline" drops restricted-only rules', async () => {
    const document = await openFixture(FILE);
    await waitForDiagnostics(document.uri, hasBoth, 'both rules\' findings');
    const restore = await setWorkspaceSetting('kubeZeroTrust', 'profile', 'baseline');
    try {
      const baseline = await waitForDiagnostics(document.uri, (ds) => !ds.some((d) => codeOf(d) === 'run-as-root'), 'no restricted-profile findings');
      assert.ok(baseline.some((d) => codeOf(d) === 'privileged-container'), 'baseline rules still run');
    } finally {
      await restore();
    }
    await waitForDiagnostics(document.uri, hasBoth, 'restricted profile again');
  });
});
