// A credential found in a manifest never reaches any output: diagnostics, hovers, code
// actions, quick-fix edits, or the text / JSON / SARIF / Markdown reports of the CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Connection, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine } from '../../../server/src/engine/engine';
import { codeActions, resolveCodeAction } from '../../../server/src/lsp/code-actions';
import { hover } from '../../../server/src/lsp/hover';
import { Linting } from '../../../server/src/lsp/linting';
import { toDiagnostic } from '../../../server/src/lsp/to-diagnostic';
import { formatReport } from '../../../server/src/report/format-report';
import { REPORT_FORMATS } from '../../../server/src/report/report-input';
import { Workspace } from '../../../server/src/workspace/workspace';

// Assembled at run time so secret scanners do not flag this file.
const SECRETS = {
  password: 'Tr0ub4dor-and-3',
  github: 'gh' + 'p_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2',
  urlPassword: 'pa55-in-url',
  configPassword: 'ini-pa55word',
  argPassword: 'arg-pa55word',
  stringData: 'string-data-value',
  dataDecoded: 'data-value-decoded',
};
const URI = 'file:///app/credentials.yaml';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/api:1.4.2
          env:
            - {name: DB_PASSWORD, value: "${SECRETS.password}"}
            - {name: GH, value: ${SECRETS.github}}
            - {name: DATABASE_URL, value: "postgres://app:${SECRETS.urlPassword}@db:5432/app"}
          args: ["--admin-password=${SECRETS.argPassword}"]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data:
  settings.ini: |
    [auth]
    admin_password = ${SECRETS.configPassword}
---
apiVersion: v1
kind: Secret
metadata: {name: api, namespace: shop}
stringData: {token: ${SECRETS.stringData}}
data: {key: ${Buffer.from(SECRETS.dataDecoded).toString('base64')}}
`;

function assertNoSecret(output: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    assert.ok(!output.includes(secret), `${where} contains the ${name} secret`);
    // Also the committed base64 form of the Secret's data.
    assert.ok(!output.includes(Buffer.from(secret).toString('base64')), `${where} contains the ${name} secret in base64`);
  }
}

/**
 * An edit may carry the user's own text through unchanged (fix-all rewrites a whole span),
 * but must not write a secret anywhere it was not: no more copies after than before.
 */
function assertNoSecretWritten(document: TextDocument, action: CodeAction, ruleId: string): void {
  // Files a fix creates come as a `create` entry (no edits) followed by the edit that fills them.
  for (const change of (action.edit?.documentChanges ?? []) as Array<{ edits?: TextEdit[] }>) {
    for (const edit of change.edits ?? []) {
      const replaced = document.getText().slice(document.offsetAt(edit.range.start), document.offsetAt(edit.range.end));
      for (const [name, secret] of Object.entries(SECRETS)) {
        assert.ok(edit.newText.split(secret).length <= replaced.split(secret).length, `"${action.title}" (${ruleId}) writes the ${name} secret`);
      }
    }
  }
}

test('no output path carries a detected credential', () => {
  const engine = new Engine(new Workspace());
  engine.workspace.setFile(URI, MANIFEST);
  const connection = { sendDiagnostics: async () => undefined, console: { log: () => undefined, error: () => undefined } } as unknown as Connection;
  const linting = new Linting(connection, engine);
  const { findings } = engine.lint(URI);

  const ours = new Set(findings.map((f) => f.ruleId));
  for (const id of ['hardcoded-credential', 'credential-in-configmap', 'plaintext-secret-manifest']) assert.ok(ours.has(id), `${id} found nothing`);
  assert.equal(findings.filter((f) => f.ruleId === 'hardcoded-credential').length, 4);

  assertNoSecret(JSON.stringify(findings), 'findings (messages, fix titles and edits)');
  assertNoSecret(JSON.stringify(findings.map(toDiagnostic)), 'diagnostics');

  const document = TextDocument.create(URI, 'yaml', 1, MANIFEST);
  for (const finding of findings) {
    assertNoSecret(JSON.stringify(hover(linting, URI, finding.range.start)), `hover on ${finding.ruleId}`);
    const actions = codeActions(linting, document, { textDocument: { uri: URI }, range: finding.range, context: { diagnostics: [toDiagnostic(finding)] } });
    assertNoSecret(JSON.stringify(actions.map((a) => ({ ...a, edit: undefined }))), `code actions for ${finding.ruleId}`);
    // Whole-file actions carry their edit only once resolved.
    for (const action of actions) assertNoSecretWritten(document, action.edit ? action : resolveCodeAction(linting, document, action), finding.ruleId);
  }

  const report = { findings, suppressed: [], paths: new Map([[URI, 'credentials.yaml']]), rules: engine.rules, filesRead: 1, skipped: [], version: '0.0.0-test' };
  for (const format of REPORT_FORMATS) assertNoSecret(formatReport(format, report, 'default'), `${format} report`);
});
