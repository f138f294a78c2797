// The multi-service example in examples/microservices: its findings, and a clean-up by quick fixes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { applyEdits } from '../../../server/src/edits/offset-edit';
import { Engine } from '../../../server/src/engine/engine';
import type { Workspace } from '../../../server/src/workspace/workspace';
import { lintAll, summary, workspaceOf } from './helpers';

const folder = join(__dirname, '..', '..', '..', 'examples', 'microservices');
const example = () => workspaceOf(Object.fromEntries(readdirSync(folder).filter((f) => f.endsWith('.yaml')).map((f) => [`file:///microservices/${f}`, readFileSync(join(folder, f), 'utf8')])));

/** Applies the first fix of the first finding of `ruleId` on `name`, in place. */
function fix(workspace: Workspace, ruleId: string, name: string, fixIndex = 0): void {
  const finding = lintAll(workspace).find((f) => f.ruleId === ruleId && f.resource?.name === name);
  assert.ok(finding?.fixes[fixIndex], `no fix for ${ruleId} on ${name}`);
  const text = applyEdits(workspace.getFile(finding.uri)!.parsed.text, finding.fixes[fixIndex].edits);
  for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, []);
  workspace.setFile(finding.uri, text);
}

describe('examples/microservices', () => {
  test('shows the network findings, and only those of the whole rule set', () => {
    const workspace = example();
    const expected = [
      'ingress-without-tls ingress.yaml:9 Ingress/shop',
      'namespace-without-default-deny namespace.yaml:4 Namespace/shop',
      'networkpolicy-allows-any network-policies.yaml:46 NetworkPolicy/cart',
      'networkpolicy-selects-nothing network-policies.yaml:55 NetworkPolicy/payments',
      'service-exposed-externally admin.yaml:55 Service/admin',
      'workload-not-isolated admin.yaml:11 Deployment/admin',
      'workload-not-isolated catalog.yaml:11 Deployment/catalog',
      'workload-not-isolated frontend.yaml:11 Deployment/frontend',
    ];
    assert.deepEqual(summary(lintAll(workspace)), expected);
    const engine = new Engine(workspace);
    assert.deepEqual(summary(workspace.uris().flatMap((uri) => engine.lint(uri).findings)), expected, 'other rules find nothing: the example is otherwise hardened');
  });

  test('the generated policies, a DNS-aware default deny, TLS and ClusterIP leave only what needs a decision', () => {
    const workspace = example();
    // The admin console leaves the internet first: a policy generated before would keep its public ingress.
    fix(workspace, 'service-exposed-externally', 'admin');
    for (const name of ['frontend', 'catalog', 'admin']) fix(workspace, 'workload-not-isolated', name);
    fix(workspace, 'namespace-without-default-deny', 'shop', 1);
    fix(workspace, 'ingress-without-tls', 'shop');
    assert.deepEqual(summary(lintAll(workspace)), [
      'networkpolicy-allows-any network-policies.yaml:46 NetworkPolicy/cart',
      'networkpolicy-selects-nothing network-policies.yaml:55 NetworkPolicy/payments',
    ]);
  });

  test('the catalog policy admits exactly its two callers, one of them through its cluster-local name', () => {
    const workspace = example();
    fix(workspace, 'workload-not-isolated', 'catalog');
    const text = workspace.getFile('file:///microservices/catalog.yaml')!.parsed.text;
    assert.match(text, /# From Deployment\/frontend: it names Service catalog:3550 in env CATALOG_ADDR of container "frontend" \(frontend\.yaml\)\./);
    assert.match(text, /# From Deployment\/admin: it names Service catalog:3550 in env CATALOG_ADDR of container "admin" \(admin\.yaml\)\./);
    assert.equal(text.match(/- from:/g)?.length, 2);
  });
});
