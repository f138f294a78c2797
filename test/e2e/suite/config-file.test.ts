import * as assert from 'assert';
import * as vscode from 'vscode';
import { audit, codeOf, describe, fixtureUri, itemsOf, nextDiagnosticsChange, openFixture, ours, replaceText, waitForDiagnostics } from './helpers';

/**
 * `.kube-zero-trust.yaml` at the workspace root, applied without a reload. The first test
 * writes it on disk (the file watcher path) and deletes it again; the others edit it in an
 * editor (the open-document path), as a person does. The suite leaves an empty config, the
 * same as none.
 */
const CONFIG = '.kube-zero-trust.yaml';
const CILIUM = 'config/cilium.yaml';
const GATEWAY = 'reports/ingress-gateway.yaml';

const has = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
const lacks = (code: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => codeOf(d) === code);
const all =
  (...predicates: Array<(ds: vscode.Diagnostic[]) => boolean>) =>
  (ds: vscode.Diagnostic[]) =>
    predicates.every((p) => p(ds));

/** The config document, opened once by the tests that edit it. */
let configDocument: vscode.TextDocument | undefined;

async function editConfig(text: string): Promise<vscode.TextDocument> {
  configDocument ??= await vscode.workspace.openTextDocument(fixtureUri(CONFIG));
  await replaceText(configDocument, text);
  return configDocument;
}

/** Makes the server lint the file again now (an edit at its end) and resolves with what it publishes. */
async function relint(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const next = nextDiagnosticsChange(document.uri, `a new lint of ${vscode.workspace.asRelativePath(document.uri)}`);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.lineAt(document.lineCount - 1).range.end, '# relint\n');
  assert.ok(await vscode.workspace.applyEdit(edit));
  return next;
}

const FULL = all(has('run-as-root'), has('host-namespace'), has('privileged-container'));

suite('workspace configuration (.kube-zero-trust.yaml)', () => {
  suiteTeardown(async () => {
    // Back to no policy: an empty file is the same as none. Saved empty, then deleted, so that
    // neither this window nor a restarted server (the next suite) sees a policy.
    if (configDocument) {
      await editConfig('');
      assert.ok(await configDocument.save(), 'the emptied config file is saved');
    }
    await vscode.workspace.fs.delete(fixtureUri(CONFIG)).then(undefined, () => undefined);
    const cilium = await openFixture(CILIUM);
    await waitForDiagnostics(cilium.uri, FULL, 'the default configuration again');
  });

  test('created on disk, it turns a rule off without a reload; deleted, the rule is back', async () => {
    const cilium = await openFixture(CILIUM);
    await waitForDiagnostics(cilium.uri, FULL, 'the default findings');
    const uri = fixtureUri(CONFIG);
    const off = waitForDiagnostics(cilium.uri, all(lacks('run-as-root'), has('privileged-container')), 'run-as-root off by the config file');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('# The team\'s policy\nrules:\n  run-as-root: "off"\n'));
    await off;
    assert.deepStrictEqual(ours(uri), [], 'a valid config file has no diagnostics');

    const back = waitForDiagnostics(cilium.uri, FULL, 'run-as-root back after deleting the config file');
    await vscode.workspace.fs.delete(uri);
    await back;
  });

  test('an invalid edit gets an error at the offending line, and the previous configuration stays in force', async () => {
    const cilium = await openFixture(CILIUM);
    await waitForDiagnostics(cilium.uri, FULL, 'the default findings');
    const off = waitForDiagnostics(cilium.uri, all(lacks('run-as-root'), has('privileged-container')), 'run-as-root off');
    await vscode.workspace.fs.writeFile(fixtureUri(CONFIG), new TextEncoder().encode('rules:\n  run-as-root: "off"\n'));
    await off;
    const stillInForce = async (what: string) => {
      const diagnostics = await relint(cilium);
      assert.ok(lacks('run-as-root')(diagnostics) && has('privileged-container')(diagnostics), `${what}: the previous configuration is in force: ${describe(diagnostics)}`);
    };

    // Line 3 names a rule that does not exist. Applied, the file would bring run-as-root back.
    const config = await editConfig('rules:\n  run-as-root: warning\n  privileged-containr: "off"\n');
    const [unknown] = await waitForDiagnostics(config.uri, (ds) => ds.length > 0, 'the unknown rule error');
    assert.strictEqual(describe(ours(config.uri)), 'config-invalid@2:2-2:21', 'one error, on the unknown rule id');
    assert.strictEqual(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(config.getText(unknown.range), 'privileged-containr');
    assert.match(unknown.message, /unknown rule "privileged-containr"/);
    assert.match(unknown.message, /previous configuration stays in force/);
    await stillInForce('unknown rule');

    // A value the schema does not allow, on line 1.
    await editConfig('profile: strict\nrules:\n  run-as-root: warning\n');
    const [profile] = await waitForDiagnostics(config.uri, (ds) => ds.some((d) => d.range.start.line === 0), 'the schema error');
    assert.strictEqual(describe(ours(config.uri)), 'config-invalid@0:9-0:15', 'one error, on the value');
    assert.strictEqual(config.getText(profile.range), 'strict');
    assert.match(profile.message, /profile/);
    await stillInForce('schema error');

    // Broken YAML: the error is on the line of the unclosed bracket.
    await editConfig('rules:\n  run-as-root: warning\nexclude: [vendor/**\n');
    const syntax = await waitForDiagnostics(config.uri, (ds) => ds.length > 0 && !ds.some((d) => d.range.start.line === 0), 'the YAML error');
    assert.ok(syntax.every((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line >= 2), `errors from the exclude line on: ${describe(syntax)}`);
    await stillInForce('YAML error');

    // Corrected, the new configuration applies and the errors go.
    const applied = waitForDiagnostics(cilium.uri, all(has('run-as-root'), lacks('privileged-container')), 'the corrected configuration');
    await editConfig('rules:\n  run-as-root: warning\n  privileged-container: "off"\n');
    await applied;
    await waitForDiagnostics(config.uri, (ds) => ds.length === 0, 'no config errors');
  });

  test('Audit Workspace does not take the config file for a manifest: not counted, its errors kept', async () => {
    // No audit has run since the config file was created (the earlier suites' ran without one).
    const config = await editConfig('rules:\n  run-as-root: warning\n');
    const result = await audit();
    assert.deepStrictEqual(itemsOf(result, config.uri), []);
    const manifests = (await vscode.workspace.findFiles('**/*.{yaml,yml}')).filter((f) => !f.path.endsWith(`/${CONFIG}`));
    assert.strictEqual(result.files, manifests.length, `the audit counts the manifests only (${manifests.length}), not ${CONFIG}`);

    // An invalid edit shows its error; the audit, which publishes every file it read, must keep it.
    await editConfig('profile: strict\n');
    await waitForDiagnostics(config.uri, (ds) => ds.length === 1, 'the config error');
    await audit();
    assert.strictEqual(describe(ours(config.uri)), 'config-invalid@0:9-0:15', 'the config error is still shown after the audit');
  });

  test('an exemption silences the finding on the matching resource, with its reason in the audit; an expired one does not', async () => {
    const cilium = await openFixture(CILIUM);
    const reason = 'The CNI plugin needs the host network.';
    const exempted = waitForDiagnostics(cilium.uri, all(lacks('host-namespace'), has('privileged-container'), has('run-as-root')), 'host-namespace exempted');
    await editConfig(
      [
        'exemptions:',
        '  - kind: DaemonSet',
        '    name: "cilium*"',
        '    namespace: kube-system',
        '    rules: [host-namespace]',
        `    reason: ${reason}`,
        '  - kind: DaemonSet',
        '    name: "cilium*"',
        '    rules: [privileged-container]',
        '    reason: expired long ago',
        '    expires: 2000-01-01',
        '',
      ].join('\n'),
    );
    await exempted;
    const result = await audit();
    const items = itemsOf(result, cilium.uri);
    assert.deepStrictEqual(items.filter((i) => i.ruleId === 'host-namespace').map((i) => i.suppressed), [{ by: 'exemption', reason }]);
    assert.deepStrictEqual(items.filter((i) => i.ruleId === 'privileged-container').map((i) => i.suppressed), [undefined], 'the expired exemption no longer applies');
  });

  test('strict: in-source suppressions of the listed rules stop working', async () => {
    const gateway = await openFixture(GATEWAY);
    await waitForDiagnostics(gateway.uri, all(has('run-as-root'), lacks('privileged-container'), lacks('host-port')), 'both suppressed in source');
    const strict = waitForDiagnostics(gateway.uri, all(has('privileged-container'), lacks('host-port')), 'privileged-container reported despite its kzt-ignore comment');
    await editConfig('strict: [privileged-container]\n');
    const diagnostics = await strict;
    assert.strictEqual(diagnostics.find((d) => codeOf(d) === 'privileged-container')?.range.start.line, 25);
  });

  test('exclude: the audit skips the files it matches and checks the rest', async () => {
    await editConfig('exclude: ["config/**"]\n');
    const result = await audit();
    assert.deepStrictEqual(itemsOf(result, fixtureUri(CILIUM)), [], 'nothing from config/');
    assert.ok(itemsOf(result, fixtureUri('audit/nightly-job.yml')).length > 0, 'the rest is audited');
  });

  test('exclude: the files it matches lose their diagnostics without a reload, whether open or audited', async () => {
    await editConfig('');
    const cilium = await openFixture(CILIUM);
    const nightly = fixtureUri('audit/nightly-job.yml');
    await audit();
    await waitForDiagnostics(cilium.uri, FULL, 'the open file\'s findings');
    await waitForDiagnostics(nightly, has('privileged-container'), 'the audited file\'s findings');
    const openCleared = waitForDiagnostics(cilium.uri, (ds) => ds.length === 0, 'no diagnostics for an excluded open file');
    const auditedCleared = waitForDiagnostics(nightly, (ds) => ds.length === 0, 'no diagnostics for an excluded audited file');
    await editConfig('exclude: ["config/**", "audit/**"]\n');
    await Promise.all([openCleared, auditedCleared]);
    // Without the exclude, the open file is checked again.
    const back = waitForDiagnostics(cilium.uri, FULL, 'the open file checked again once no longer excluded');
    await editConfig('');
    await back;
  });

  test('deleted while open in an editor, the file no longer applies', async () => {
    const cilium = await openFixture(CILIUM);
    const config = await editConfig('rules:\n  run-as-root: "off"\n');
    assert.ok(await config.save());
    await waitForDiagnostics(cilium.uri, all(lacks('run-as-root'), has('privileged-container')), 'run-as-root off');
    await vscode.window.showTextDocument(config);
    const back = waitForDiagnostics(cilium.uri, FULL, 'the default configuration after deleting the open config file');
    await vscode.workspace.fs.delete(config.uri);
    await back;
  });
});
