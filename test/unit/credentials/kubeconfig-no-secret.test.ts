// A kubeconfig's credentials never reach any output of the language server: diagnostics,
// hovers, code actions and their edits, the log, or the text / compact / JSON / SARIF /
// Markdown reports. (The CLI process is checked end to end in test/cli/cluster-access.test.ts.)
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
  token: ['kzt', 'lsp', 'fake', 'token', 'a1b2c3d4e5f6'].join('-'),
  password: ['s3cret', 'Pa55', 'phrase'].join('-'),
  keyData: Buffer.from(['-----BEGIN ', 'RSA PRIVATE', ' KEY-----\nlsp-test-key\n-----END ', 'RSA PRIVATE', ' KEY-----\n'].join('')).toString('base64'),
  refresh: ['refresh', 'lsp', '7h8i9j0k'].join('-'),
  urlPassword: ['url', 'pa55', 'lsp'].join('-'),
};
const URI = 'file:///repo/ci/kubeconfig.yaml';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: staging
    cluster:
      server: http://deploy:${SECRETS.urlPassword}@k8s.example.com:8080
      insecure-skip-tls-verify: true
users:
  - name: ci
    user:
      token: ${SECRETS.token}
  - name: legacy
    user: {username: admin, password: "${SECRETS.password}"}
  - name: admin
    user:
      client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
      client-key-data: ${SECRETS.keyData}
  - name: dev
    user:
      auth-provider:
        name: oidc
        config: {client-id: kubernetes, refresh-token: ${SECRETS.refresh}}
contexts:
  - {name: ci, context: {cluster: staging, user: ci}}
current-context: ci
`;

function assertNoSecret(output: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    assert.ok(!output.includes(secret), `${where} contains the ${name} secret`);
  }
}

function assertNoSecretWritten(document: TextDocument, action: CodeAction, ruleId: string): void {
  for (const change of (action.edit?.documentChanges ?? []) as Array<{ edits?: TextEdit[] }>) {
    for (const edit of change.edits ?? []) {
      const replaced = document.getText().slice(document.offsetAt(edit.range.start), document.offsetAt(edit.range.end));
      for (const [name, secret] of Object.entries(SECRETS)) {
        assert.ok(edit.newText.split(secret).length <= replaced.split(secret).length, `"${action.title}" (${ruleId}) writes the ${name} secret`);
      }
    }
  }
}

test('no output path of the language server carries a kubeconfig credential', () => {
  const engine = new Engine(new Workspace());
  engine.workspace.setFile(URI, KUBECONFIG);
  const logged: string[] = [];
  const log = (message: string) => void logged.push(message);
  const connection = { sendDiagnostics: async () => undefined, console: { log, error: log, warn: log, info: log } } as unknown as Connection;
  const linting = new Linting(connection, engine);
  const { findings } = engine.lint(URI);

  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  assert.equal(counts.get('kubeconfig-embedded-credential'), 4, findings.map((f) => f.message).join('\n'));
  assert.equal(counts.get('kubeconfig-tls-verification-disabled'), 2);
  assert.ok(!counts.has('default-namespace'), 'a kubeconfig is not an object placed in a namespace');

  assertNoSecret(JSON.stringify(findings), 'findings (messages, fix titles and edits)');
  assertNoSecret(JSON.stringify(findings.map(toDiagnostic)), 'diagnostics');

  const document = TextDocument.create(URI, 'yaml', 1, KUBECONFIG);
  for (const finding of findings) {
    assertNoSecret(JSON.stringify(hover(linting, URI, finding.range.start)), `hover on ${finding.ruleId}`);
    const actions = codeActions(linting, document, { textDocument: { uri: URI }, range: finding.range, context: { diagnostics: [toDiagnostic(finding)] } });
    assertNoSecret(JSON.stringify(actions.map((a) => ({ ...a, edit: undefined }))), `code actions for ${finding.ruleId}`);
    for (const action of actions) assertNoSecretWritten(document, action.edit ? action : resolveCodeAction(linting, document, action), finding.ruleId);
  }
  // Hovering the credentials themselves, not only where findings start.
  for (const secret of Object.values(SECRETS)) {
    const at = document.positionAt(KUBECONFIG.indexOf(secret) + 2);
    assertNoSecret(JSON.stringify(hover(linting, URI, at)), `hover inside a credential (line ${at.line + 1})`);
  }

  const report = { findings, suppressed: [], paths: new Map([[URI, 'ci/kubeconfig.yaml']]), rules: engine.rules, filesRead: 1, skipped: [], version: '0.0.0-test' };
  for (const format of REPORT_FORMATS) assertNoSecret(formatReport(format, report, 'default'), `${format} report`);
  assertNoSecret(logged.join('\n'), 'the server log');
});
