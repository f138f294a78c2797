// Kubeconfigs and audit policies through the `kzt` bin as users run it (after `npm run build`):
// found by apiVersion and kind whatever the file's name, never failing the rest of the audit,
// and a kubeconfig's credentials in no report format, on stdout or stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');

// Assembled at run time so secret scanners do not flag this file.
const SECRETS = {
  token: ['kzt', 'cli', 'fake', 'token', '9f8e7d6c5b4a'].join('-'),
  password: ['cli', 'Pa55', 'w0rd', 'fake'].join('-'),
  keyData: Buffer.from(['-----BEGIN ', 'EC PRIVATE', ' KEY-----\ncli-test-key\n-----END ', 'EC PRIVATE', ' KEY-----\n'].join('')).toString('base64'),
  refresh: ['refresh', 'cli', 'fake', '1a2b3c'].join('-'),
  clientSecret: ['oidc', 'client', 'secret', 'fake', '4d5e6f'].join('-'),
  urlPassword: ['url', 'pa55', 'cli'].join('-'),
  otherToken: ['second', 'kubeconfig', 'token', '0a9b8c'].join('-'),
};

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: staging
    cluster:
      server: https://203.0.113.10:6443
      insecure-skip-tls-verify: true
  - name: legacy
    cluster: {server: "http://deploy:${SECRETS.urlPassword}@k8s.example.com:8080"}
users:
  - name: ci
    user:
      token: ${SECRETS.token}
  - name: basic
    user: {username: admin, password: "${SECRETS.password}"}
  - name: admin
    user:
      client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
      client-key-data: ${SECRETS.keyData}
  - name: dev
    user:
      auth-provider:
        name: oidc
        config:
          client-id: kubernetes
          client-secret: ${SECRETS.clientSecret}
          refresh-token: ${SECRETS.refresh}
contexts:
  - {name: ci, context: {cluster: staging, user: ci}}
current-context: ci
`;

/** Shapes a hand-edited kubeconfig may have: none of them may stop the audit. */
const ODD_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [null, 3, {name: x}, {name: y, cluster: [a, b]}, {cluster: {insecure-skip-tls-verify: true}}]
users: just a string
contexts: {}
---
apiVersion: v1
kind: Config
users:
  - name: other
    user:
      token: ${SECRETS.otherToken}
  - &anchor {name: twice, user: {token: "\${FROM_ENV}"}}
  - *anchor
`;

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources: [{group: "", resources: [secrets]}]
  - level: None
`;

const BAD_POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
`;

function kzt(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-cluster-access-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function assertNoSecret(output: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!output.includes(secret), `${where} contains the ${name} secret`);
}

describe('kzt audit: kubeconfigs and audit policies', () => {
  const dir = repository({
    'deploy/ci-kubeconfig.yaml': KUBECONFIG,
    'ops/odd.yml': ODD_KUBECONFIG,
    'cluster/audit.yaml': AUDIT_POLICY,
    'app/pod.yaml': BAD_POD,
    // A kubeconfig as kubectl names it: no extension, so it is checked when given explicitly.
    '.kube/config': KUBECONFIG.replace(SECRETS.token, SECRETS.otherToken),
  });

  test('found by kind whatever the file is called; the rest of the audit is unaffected', () => {
    const run = kzt(['audit', '.', '.kube/config', '--format', 'json'], dir);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; file: string; resource?: { kind: string } }> };
    const byFile = (file: string) => report.findings.filter((f) => f.file === file).map((f) => f.ruleId).sort();
    assert.deepEqual(byFile('deploy/ci-kubeconfig.yaml'), [
      ...Array(5).fill('kubeconfig-embedded-credential'),
      ...Array(2).fill('kubeconfig-tls-verification-disabled'),
    ]);
    assert.deepEqual(byFile('.kube/config'), byFile('deploy/ci-kubeconfig.yaml'));
    // The odd shapes: the flag on a nameless cluster and the one real token (the anchored entry holds a placeholder).
    assert.deepEqual(byFile('ops/odd.yml'), ['kubeconfig-embedded-credential', 'kubeconfig-tls-verification-disabled']);
    assert.deepEqual(byFile('cluster/audit.yaml'), ['audit-policy-blind-spot', 'audit-policy-logs-secret-values']);
    assert.ok(byFile('app/pod.yaml').includes('privileged-container'), 'the pod next to them is still checked');
    assert.ok(!report.findings.some((f) => f.resource?.kind === 'Config' && !f.ruleId.startsWith('kubeconfig-')), 'no other rule reads a kubeconfig as an object');
  });

  test('no report format, and neither stdout nor stderr, carries a kubeconfig credential', () => {
    for (const format of ['text', 'compact', 'json', 'sarif', 'markdown']) {
      const run = kzt(['audit', '.', '.kube/config', '--format', format], dir);
      assert.equal(run.code, 1, `${format}: ${run.stderr}`);
      assert.match(run.stdout, /kubeconfig-embedded-credential/, `${format} lists the finding`);
      assertNoSecret(run.stdout, `${format} report`);
      assertNoSecret(run.stderr, `${format} stderr`);
    }
    const written = kzt(['audit', '.', '--format', 'sarif', '--output', 'report.sarif'], dir);
    assert.equal(written.code, 1, written.stderr);
    assertNoSecret(readFileSync(join(dir, 'report.sarif'), 'utf8'), 'SARIF written with --output');
  });
});
