// Rule options as a team sets them: `ruleOptions` in `.kube-zero-trust.yaml` changes what
// `kzt audit` reports and what `kzt export-policy` exports the same way; invalid options are a
// usage error that points at the line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { judge } from '../unit/export-policy/evaluate-policy';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

const SHIPPER = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: shipper, namespace: logging}
spec:
  selector: {matchLabels: {app: shipper}}
  template:
    metadata: {labels: {app: shipper}}
    spec:
      containers:
        - name: app
          image: shipper:2
          resources: {limits: {memory: 128Mi}}
          volumeMounts: [{name: pods, mountPath: /pods, readOnly: true}]
      volumes:
        - {name: pods, hostPath: {path: /var/log/pods}}
`;

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-options-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function kzt(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const rulesOf = (stdout: string, id: string) => (JSON.parse(stdout).findings as Array<{ ruleId: string; message: string }>).filter((f) => f.ruleId === id);

describe('ruleOptions in the config file', () => {
  test('kzt audit: the defaults report the hostPath and the missing CPU limit; the team\'s options accept them', () => {
    const plain = folderWith({ 'shipper.yaml': SHIPPER });
    const before = kzt(['audit', '.', '--format', 'json'], plain);
    assert.equal(rulesOf(before.stdout, 'host-path-volume').length, 1);
    assert.match(rulesOf(before.stdout, 'resource-limits-missing')[0].message, /has no CPU limit/);

    const tuned = folderWith({
      'shipper.yaml': SHIPPER,
      '.kube-zero-trust.yaml': 'ruleOptions:\n  host-path-volume:\n    allowedHostPaths: [{pathPrefix: /var/log, readOnly: true}]\n  resource-limits-missing:\n    limits: [memory]\n',
    });
    const after = kzt(['audit', '.', '--format', 'json'], tuned);
    assert.deepEqual(rulesOf(after.stdout, 'host-path-volume'), []);
    assert.deepEqual(rulesOf(after.stdout, 'resource-limits-missing'), []);
  });

  test('kzt export-policy: the exported policy admits what the options accept and denies a writable mount', () => {
    const tuned = folderWith({ '.kube-zero-trust.yaml': 'ruleOptions:\n  host-path-volume:\n    allowedHostPaths: [{pathPrefix: /var/log, readOnly: true}]\n' });
    const exported = kzt(['export-policy'], tuned);
    assert.equal(exported.code, 0, exported.stderr);
    const policies = parseAllDocuments(exported.stdout)
      .map((d) => d.toJS() as Record<string, any>)
      .filter((d) => String(d.metadata?.name).startsWith('kube-zero-trust-host-path-volume'));
    assert.equal(policies.length, 2, 'the policy and its binding');
    const shipper = parseAllDocuments(SHIPPER)[0].toJS() as Record<string, any>;
    assert.deepEqual(judge(policies, shipper).denials, []);
    shipper.spec.template.spec.containers[0].volumeMounts[0].readOnly = false;
    assert.match(judge(policies, shipper).denials.join('\n'), /Container "app" mounts a hostPath volume writable that the configuration allows only read-only\./);
  });

  test('options that do not match the rule\'s schema are a usage error at their line', () => {
    const dir = folderWith({ 'shipper.yaml': SHIPPER, '.kube-zero-trust.yaml': 'profile: restricted\nruleOptions:\n  resource-limits-missing:\n    limits: [disk]\n' });
    const run = kzt(['audit', '.'], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\.kube-zero-trust\.yaml:4:.*ruleOptions\.resource-limits-missing\.limits\.0: must be equal to one of the allowed values/);
  });
});
