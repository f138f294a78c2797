import * as assert from 'assert';
import * as vscode from 'vscode';
import { assertFindings, codeOf, describe, openFixture, waitForDiagnostics } from './helpers';

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

suite('broken YAML', () => {
  test('a broken file gets a YAML syntax error; the good file next to it keeps its findings', async () => {
    // Open the broken one first: it must not stop the server from checking the next.
    const broken = await openFixture('broken/broken.yaml');
    const good = await openFixture('broken/good-pod.yaml');

    const brokenDiagnostics = await waitForDiagnostics(broken.uri, (ds) => ds.length > 0, 'a YAML syntax diagnostic');
    assert.deepStrictEqual(brokenDiagnostics.map(codeOf), ['yaml-syntax'], 'only the syntax error: a broken document is not linted');
    const [syntax] = brokenDiagnostics;
    assert.strictEqual(syntax.severity, E);
    assert.match(syntax.message, /^YAML syntax error: Missing closing "quote/);
    // It points at the quote that is never closed: line 9, column 29 (1-based) of the fixture.
    assert.strictEqual(broken.lineAt(8).text.charAt(28), '"', 'fixture: the unclosed quote is at 9:29');
    assert.strictEqual(describe([syntax]), 'yaml-syntax@8:28-8:29', 'the syntax error covers the unclosed quote');
    assert.strictEqual(broken.getText(syntax.range), '"');

    const goodDiagnostics = await waitForDiagnostics(good.uri, (ds) => ds.length >= 2, 'the good file\'s findings');
    assertFindings(good, goodDiagnostics, [
      { code: 'run-as-root', range: [10, 6, 10, 21], severity: W, text: 'securityContext' },
      { code: 'privileged-container', range: [11, 20, 11, 24], severity: E, text: 'true' },
    ]);
    assert.ok(!goodDiagnostics.some((d) => codeOf(d) === 'yaml-syntax'));
  });

  test('a file whose second document is broken: the first document is still checked', async () => {
    const mixed = await openFixture('broken/mixed.yaml');
    const diagnostics = await waitForDiagnostics(
      mixed.uri,
      (ds) => ds.some((d) => codeOf(d) === 'yaml-syntax') && ds.some((d) => codeOf(d) === 'privileged-container'),
      'a syntax error and the first document\'s findings',
    );
    assertFindings(mixed, diagnostics, [
      { code: 'run-as-root', range: [9, 6, 9, 21], severity: W, text: 'securityContext' },
      { code: 'privileged-container', range: [10, 20, 10, 24], severity: E, text: 'true' },
    ]);
    const syntax = diagnostics.filter((d) => codeOf(d) === 'yaml-syntax');
    assert.strictEqual(syntax.length, 1);
    assert.match(syntax[0].message, /^YAML syntax error: Flow sequence/);
    const separator = mixed.getText().split('\n').indexOf('---');
    assert.ok(syntax[0].range.start.line > separator, 'the syntax error is reported in the second document');
  });
});
