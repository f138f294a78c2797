// `kzt audit` on a Kustomize project (examples/kustomize): findings as each overlay deploys the
// base, patch files never linted, analysis units per audited folder, the same report on any
// number of threads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  range: { start: { line: number } };
  resource?: { kind: string; name: string; namespace?: string };
  overlays?: string[];
}

function audit(args: string[], cwd: string): { code: number | null; findings: JsonFinding[]; stdout: string } {
  const run = spawnSync(process.execPath, [CLI, 'audit', ...args, '--format', 'json'], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, findings: JSON.parse(run.stdout).findings };
}

describe('kzt audit on a Kustomize project', () => {
  const example = join(root, 'examples', 'kustomize');

  test("a base is judged as each overlay deploys it, and the overlay a finding holds in is named", () => {
    const { code, findings } = audit(['.'], example);
    assert.equal(code, 1);
    const token = findings.filter((f) => f.ruleId === 'service-account-token-automount' && f.file === 'base/deployment.yaml');
    const dev = token.find((f) => f.overlays?.includes('overlays/dev'));
    assert.ok(dev, 'the dev overlay binds edit to the API\'s ServiceAccount');
    assert.equal(dev.severity, 'warning');
    assert.deepEqual(dev.resource, { kind: 'Deployment', name: 'payments-api', namespace: 'payments-dev' });
    assert.match(dev.message, /^In overlays\/dev: Deployment\/payments-api mounts the API token of ServiceAccount payments-api\. The account is bound by RoleBinding payments-api-debug to ClusterRole edit/);
    // The dev binding is not part of the prod build.
    assert.ok(findings.every((f) => !(f.overlays?.includes('overlays/prod') && /payments-api-debug/.test(f.message))));
  });

  test('patch files are never linted as objects', () => {
    const { findings } = audit(['.'], example);
    assert.deepEqual(findings.filter((f) => f.file === 'overlays/prod/harden.yaml'), []);
  });

  test('the report is the same on one thread and on several (kustomizations reach every thread)', () => {
    const one = audit(['.', '--jobs', '1'], example);
    const three = audit(['.', '--jobs', '3'], example);
    assert.equal(three.stdout, one.stdout);
  });

  test('folders audited together are separate analysis units', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kzt-units-'));
    cpSync(example, join(dir, 'payments'), { recursive: true });
    // Another project grants cluster-admin to a ServiceAccount of the same name and namespace.
    cpSync(join(root, 'examples', 'microservices'), join(dir, 'other'), { recursive: true });
    writeFileSync(
      join(dir, 'other', 'admin.yaml'),
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: everything\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n  - {kind: ServiceAccount, name: payments-api, namespace: payments}\n',
    );
    const alone = audit(['payments'], dir).findings;
    const together = audit(['payments', 'other'], dir).findings.filter((f) => f.file.startsWith('payments/'));
    assert.deepEqual(together.map((f) => [f.file, f.ruleId, f.severity, f.message]), alone.map((f) => [f.file, f.ruleId, f.severity, f.message]));
  });
});
