// The workspace is a sequence of immutable snapshots: a reader of one sees the same state
// however the workspace moves on, and the cross-resource state names what other files see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../../rules';
import { DEFAULT_CONFIG } from '../../../server/src/engine/config';
import { lintText } from '../../../server/src/engine/engine';
import { lintFile } from '../../../server/src/engine/lint';
import { RuleCache } from '../../../server/src/engine/rule-cache';
import { Workspace } from '../../../server/src/workspace/workspace';

const APP = 'file:///app.yaml';
const POLICY = 'file:///policy.yaml';
const app = (label: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: ${label}}}\n  template:\n    metadata: {labels: {app: ${label}}}\n    spec:\n      containers:\n      - name: web\n        image: registry.example.com/web:1.0\n`;
const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress, Egress]\n';
const view = (findings: readonly { ruleId: string; start: number; message: string }[]) => findings.map((f) => `${f.ruleId}@${f.start}: ${f.message}`);

test('a snapshot keeps its files, resources, units and memos after the workspace changes', () => {
  const workspace = new Workspace();
  workspace.setFile(APP, app('web'));
  workspace.setFile(POLICY, policy);
  const before = workspace.snapshot;
  const resources = before.resources();
  const memo = before.memo('test', () => ({}));
  const [context] = before.contextsOf(APP);
  const unitResources = context.view.resources();

  workspace.setFile(APP, app('api'));
  workspace.removeFile(POLICY);
  workspace.setDefaultNamespace('other');

  assert.notEqual(workspace.snapshot, before);
  assert.equal(before.resources(), resources);
  assert.deepEqual(before.resources().map((r) => r.uri), [APP, POLICY]);
  assert.equal(before.getFile(APP)!.parsed.text, app('web'));
  assert.equal(before.defaultNamespace, 'default');
  assert.equal(before.memo('test', () => ({})), memo);
  assert.equal(before.contextsOf(APP)[0].view.resources(), unitResources);
  assert.deepEqual(workspace.snapshot.resources().map((r) => r.uri), [APP]);
  assert.notEqual(workspace.snapshot.memo('test', () => ({})), memo);
});

test('linting an earlier snapshot gives that state\'s findings, not the current one\'s', () => {
  const workspace = new Workspace();
  workspace.setFile(POLICY, policy);
  workspace.setFile(APP, app('web'));
  const isolated = workspace.snapshot;
  workspace.setFile(APP, app('api'));
  const open = workspace.snapshot;
  const lint = (snapshot: typeof open) => view(lintFile(snapshot, APP, RULES, DEFAULT_CONFIG, new RuleCache()).findings);
  assert.deepEqual(lint(isolated), view(lintText(app('web'), { uri: APP, files: { [POLICY]: policy } }).findings));
  assert.deepEqual(lint(open), view(lintText(app('api'), { uri: APP, files: { [POLICY]: policy } }).findings));
  assert.notDeepEqual(lint(isolated), lint(open), 'the policy selects app: web only');
});

test('one snapshot per read, not per change: indexing many files makes one', () => {
  const workspace = new Workspace();
  const first = workspace.snapshot;
  for (let i = 0; i < 50; i++) workspace.setFile(`file:///f${i}.yaml`, app(`a${i}`));
  const indexed = workspace.snapshot;
  assert.notEqual(indexed, first);
  assert.equal(workspace.snapshot, indexed, 'reading again without a change gives the same snapshot');
  assert.equal(first.resources().length, 0);
  assert.equal(indexed.resources().length, 50);
});

test('the cross-resource state: kept by edits other files cannot see, changed by those they can, found again on undo', () => {
  const workspace = new Workspace();
  workspace.setFile(POLICY, policy);
  workspace.setFile(APP, app('web'));
  const start = workspace.snapshot.crossState;
  workspace.setFile(APP, app('web').replace('web:1.0', 'web:1.1'));
  assert.equal(workspace.snapshot.crossState, start, 'an image is not read by other files\' rules');
  workspace.setFile(APP, app('api'));
  const relabelled = workspace.snapshot.crossState;
  assert.notEqual(relabelled, start);
  workspace.setFile(APP, app('web'));
  assert.equal(workspace.snapshot.crossState, start, 'undo');
  workspace.setDefaultNamespace('shop');
  assert.notEqual(workspace.snapshot.crossState, start, 'settings: a state no earlier one equals');
  assert.notEqual(workspace.snapshot.crossState, relabelled);
});

test('a fork starts at the same snapshot and moves on without touching its parent', () => {
  const workspace = new Workspace();
  workspace.setFile(APP, app('web'));
  const parent = workspace.snapshot;
  const fork = workspace.fork();
  assert.equal(fork.snapshot, parent);
  fork.setFile(APP, app('api'));
  assert.equal(workspace.snapshot, parent);
  assert.equal(workspace.getFile(APP)!.parsed.text, app('web'));
  assert.equal(fork.getFile(APP)!.parsed.text, app('api'));
  assert.notEqual(fork.snapshot.crossState, parent.crossState);
});
