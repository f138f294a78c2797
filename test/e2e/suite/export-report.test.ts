import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { audit, EXTENSION_ID, fixtureUri, type AuditResult } from './helpers';

/**
 * "Export Report": the command takes `(format, targetUri)` so that no save dialog is needed.
 * The reports go to a temp dir outside the workspace (so later audits do not see them).
 */
let dir: string;
let result: AuditResult;

async function exportReport(format: 'sarif' | 'json' | 'markdown', name: string): Promise<string> {
  const target = vscode.Uri.file(path.join(dir, name));
  const written = await vscode.commands.executeCommand<vscode.Uri>('kubeZeroTrust.exportReport', format, target);
  assert.ok(written, `the ${format} export returned the file it wrote`);
  assert.strictEqual(written.toString(), target.toString());
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
}

/** Microsoft's SARIF validator (devDependency @microsoft/sarif-multitool); resolves with its findings. */
function validateSarif(file: string): Promise<Array<{ level?: string; ruleId: string; message?: { text?: string } }>> {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const multitool = path.join(root, 'node_modules', '.bin', 'sarif-multitool');
  assert.ok(fs.existsSync(multitool), `${multitool} is installed (npm ci)`);
  const output = `${file}.validation.sarif`;
  return new Promise((resolve, reject) => {
    const child = spawn(multitool, ['validate', file, '--output', output], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`sarif-multitool validate exited with ${code}:\n${log}`));
      const validation = JSON.parse(fs.readFileSync(output, 'utf8').replace(/^\uFEFF/, ''));
      resolve(validation.runs.flatMap((r: { results?: unknown[] }) => r.results ?? []));
    });
  });
}

const NIGHTLY = 'audit/nightly-job.yml';
const GATEWAY = 'reports/ingress-gateway.yaml';

suite('export report', () => {
  suiteSetup(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kzt-export-'));
    result = await audit();
  });
  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('SARIF 2.1.0: rules with help, exact regions, suppressions with their reason; Microsoft\'s validator finds nothing', async function () {
    this.timeout(90_000);
    const sarif = JSON.parse(await exportReport('sarif', 'kube-zero-trust.sarif'));
    assert.strictEqual(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.strictEqual(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.strictEqual(run.tool.driver.name, 'kube-zero-trust');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'privileged-container');
    assert.ok(rule?.help?.text && rule.helpUri && rule.shortDescription?.text, 'rules carry help, a help URI and a description');

    const results: Array<{ ruleId: string; ruleIndex: number; level: string; suppressions?: Array<{ kind: string; justification: string }>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }> }> = run.results;
    const active = results.filter((r) => !r.suppressions);
    assert.strictEqual(active.length, result.findings, 'one result per finding of the audit');
    assert.strictEqual(results.length - active.length, result.items.length - result.findings, 'suppressed findings are results with suppressions');
    for (const r of results) assert.strictEqual(run.tool.driver.rules[r.ruleIndex].id, r.ruleId, 'ruleIndex points at the rule');

    // audit/nightly-job.yml: `privileged: true` at 0-based 17:28-17:32.
    const nightly = results.filter((r) => r.ruleId === 'privileged-container' && r.locations[0].physicalLocation.artifactLocation.uri === NIGHTLY);
    assert.strictEqual(nightly.length, 1, 'the never-opened file is in the report, by its workspace-relative path');
    assert.strictEqual(nightly[0].level, 'error');
    assert.deepStrictEqual(nightly[0].locations[0].physicalLocation.region, { startLine: 18, startColumn: 29, endLine: 18, endColumn: 33 });

    const gateway = results.filter((r) => r.locations[0].physicalLocation.artifactLocation.uri === GATEWAY && r.suppressions);
    assert.deepStrictEqual(
      gateway.map((r) => [r.ruleId, r.suppressions]).sort(),
      [
        ['host-port', [{ kind: 'inSource', justification: 'the load balancer health check needs port 8443 on the node' }]],
        ['privileged-container', [{ kind: 'inSource', justification: "envoy programs the node's iptables for transparent proxying" }]],
      ],
    );

    const problems = (await validateSarif(path.join(dir, 'kube-zero-trust.sarif'))).filter((r) => r.level !== 'note');
    assert.deepStrictEqual(problems.map((p) => `${p.level} ${p.ruleId}: ${p.message?.text ?? ''}`), [], 'no validator errors or warnings');
  });

  test('JSON: every finding with its workspace-relative file and exact range; suppressed ones apart with their reason', async () => {
    const report = JSON.parse(await exportReport('json', 'kube-zero-trust.json'));
    type Entry = { ruleId: string; severity: string; message: string; file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; resource?: { kind: string; name: string; namespace?: string }; suppressed?: { by: string; reason?: string } };
    const findings: Entry[] = report.findings;
    const suppressed: Entry[] = report.suppressed;
    assert.strictEqual(findings.length, result.findings);
    assert.strictEqual(suppressed.length, result.items.length - result.findings);
    const nightly = findings.find((f) => f.file === NIGHTLY && f.ruleId === 'privileged-container');
    assert.ok(nightly, `privileged-container of ${NIGHTLY}; files: ${[...new Set(findings.map((f) => f.file))].join(', ')}`);
    assert.deepStrictEqual(nightly.range, { start: { line: 17, character: 28 }, end: { line: 17, character: 32 } });
    assert.deepStrictEqual(nightly.resource, { kind: 'CronJob', name: 'nightly-report', namespace: 'shop' });
    assert.match(nightly.message, /Container "report" is privileged/);
    assert.ok(!findings.some((f) => f.file === 'deploy/hardened-api.yaml'), 'the hardened manifest has no findings');
    const hostPort = suppressed.find((f) => f.file === GATEWAY && f.ruleId === 'host-port');
    assert.deepStrictEqual(hostPort?.suppressed, { by: 'annotation', reason: 'the load balancer health check needs port 8443 on the node' });
    // The same findings as the audit the Zero Trust view shows.
    const root = fixtureUri('');
    const rel = (uri: string) => path.posix.relative(root.path, vscode.Uri.parse(uri).path);
    const fromAudit = result.items.filter((i) => !i.suppressed).map((i) => `${rel(i.uri)} ${i.ruleId}@${i.range.start.line}:${i.range.start.character}`).sort();
    assert.deepStrictEqual(findings.map((f) => `${f.file} ${f.ruleId}@${f.range.start.line}:${f.range.start.character}`).sort(), fromAudit);
  });

  test('Markdown: summary tables, every finding, and the suppressed ones with their reason', async () => {
    const markdown = await exportReport('markdown', 'kube-zero-trust.md');
    assert.match(markdown, /^# Kubernetes Zero Trust posture report\n/);
    assert.ok(markdown.includes(`**${result.findings} findings**`), 'the total of the audit');
    for (const heading of ['## By zero-trust principle', '## By namespace', '## Top rules', '## Findings', '## Suppressed']) {
      assert.ok(markdown.includes(`\n${heading}\n`), heading);
    }
    assert.match(markdown, /\| error \| privileged-container \| CronJob\/nightly-report \| audit\/nightly-job\.yml:18 \| Container "report" is privileged/);
    assert.match(markdown, /\| host-port \| Deployment\/gateway \| reports\/ingress-gateway\.yaml:\d+ \| annotation \| the load balancer health check needs port 8443 on the node \|/);
    assert.match(markdown, /\| privileged-container \| Deployment\/gateway \| reports\/ingress-gateway\.yaml:26 \| comment \| envoy programs the node's iptables for transparent proxying \|/);
    assert.match(markdown, /\| edge \| \d+ \|/, 'the edge namespace in the namespace table');
    const findingRows = markdown.split('\n## Findings\n')[1].split('\n## Suppressed\n')[0].split('\n').filter((l) => /^\| (error|warning|info) \|/.test(l));
    assert.strictEqual(findingRows.length, result.findings, 'one row per finding');
  });

  test('Export Admission Policies: the server computes the YAML of both formats, the command writes it', async () => {
    const exportPolicies = async (format: string, name: string) => {
      const target = vscode.Uri.file(path.join(dir, name));
      const written = await vscode.commands.executeCommand<vscode.Uri>('kubeZeroTrust.exportAdmissionPolicies', format, target);
      assert.strictEqual(written?.toString(), target.toString());
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    };
    const vap = await exportPolicies('validating-admission-policy', 'validating-admission-policies.yaml');
    assert.match(vap, /^# Admission policies exported by kube-zero-trust/);
    assert.match(vap, /\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: kube-zero-trust-privileged-container\n/);
    assert.match(vap, /\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: kube-zero-trust-privileged-container\n[\s\S]*?validationActions:\n    - Deny\n/);
    const kyverno = await exportPolicies('kyverno', 'kyverno-policies.yaml');
    assert.match(kyverno, /\nkind: ClusterPolicy\nmetadata:\n  name: kube-zero-trust-privileged-container\n/);
    assert.ok(!kyverno.includes('ValidatingAdmissionPolicy'));
  });
});
