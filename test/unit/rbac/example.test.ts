// examples/rbac shows every identity rule once (twice for default-service-account: a
// workload and a binding), so the example stays an honest demonstration.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../server/src/engine/engine';
import { Workspace } from '../../../server/src/workspace/workspace';

const EXPECTED = [
  'default-service-account',
  'default-service-account',
  'legacy-service-account-token-secret',
  'rbac-binding-to-anonymous',
  'rbac-cluster-admin-binding',
  'rbac-pod-exec',
  'rbac-privilege-escalation',
  'rbac-secrets-access',
  'rbac-wildcard',
  'rbac-workload-creation',
  'service-account-missing',
  'service-account-token-automount',
];

test('examples/rbac trips each identity rule', () => {
  const dir = join(__dirname, '..', '..', '..', 'examples', 'rbac');
  const engine = new Engine(new Workspace());
  const uris = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => {
    const uri = `file://${join(dir, f)}`;
    engine.workspace.setFile(uri, readFileSync(join(dir, f), 'utf8'));
    return uri;
  });
  const identity = new Set(EXPECTED);
  const found = uris.flatMap((uri) => engine.lint(uri).findings.map((f) => f.ruleId)).filter((id) => identity.has(id));
  assert.deepEqual(found.sort(), EXPECTED);
});
