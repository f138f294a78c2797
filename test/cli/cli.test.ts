// The `kzt` bin as users run it: formats, exit codes, unreadable input, SARIF validity.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');

const BAD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
`;

function kzt(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('kzt audit', () => {
  test('text output is path:line:col severity rule-id message, exit 1 on findings', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const { code, stdout } = kzt(['audit', '.'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /^pod\.yaml:8:37 error privileged-container Container "app" is privileged/m);
  });

  test('json output has 0-based LSP ranges and the resource', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const { stdout } = kzt(['audit', 'pod.yaml', '--format', 'json'], dir);
    const finding = JSON.parse(stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'privileged-container');
    assert.deepEqual(finding.range, { start: { line: 7, character: 36 }, end: { line: 7, character: 40 } });
    assert.deepEqual(finding.resource, { kind: 'Pod', name: 'web', namespace: 'shop' });
    assert.equal(finding.file, 'pod.yaml');
  });

  test('--fail-on decides the exit code; a clean run exits 0', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    assert.equal(kzt(['audit', '.', '--fail-on', 'none'], dir).code, 0);
    const clean = folderWith({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {color: blue}\n' });
    const run = kzt(['audit', '.', '--fail-on', 'info'], clean);
    assert.equal(run.code, 0, run.stdout);
  });

  test('usage errors and unreadable input exit 2; unreadable files are reported and skipped', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    assert.equal(kzt(['audit', '.', '--format', 'xml'], dir).code, 2);
    assert.equal(kzt(['lint'], dir).code, 2);
    const missing = kzt(['audit', 'nope/'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such file or directory/);
    const partly = kzt(['audit', 'pod.yaml', 'nope.yaml'], dir);
    assert.equal(partly.code, 1);
    assert.match(partly.stderr, /nope\.yaml: no such file or directory/);
  });

  test('SARIF passes the SARIF multitool validator with no errors or warnings', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const { stdout } = kzt(['audit', '.', '--format', 'sarif'], dir);
    const log = JSON.parse(stdout);
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.length > 0);
    writeFileSync(join(dir, 'out.sarif'), stdout);
    const multitool = join(root, 'node_modules', '.bin', 'sarif-multitool');
    const validate = spawnSync(multitool, ['validate', join(dir, 'out.sarif'), '--output', join(dir, 'validation.sarif')], { encoding: 'utf8' });
    assert.equal(validate.status, 0, validate.stdout + validate.stderr);
    const validation = JSON.parse(readFileSync(join(dir, 'validation.sarif'), 'utf8'));
    const problems = validation.runs.flatMap((r: { results?: Array<{ level?: string; ruleId: string }> }) => r.results ?? []).filter((r: { level?: string }) => r.level !== 'note');
    assert.deepEqual(problems, []);
  });
});
