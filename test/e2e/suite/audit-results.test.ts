import * as assert from 'assert';
import * as vscode from 'vscode';
import { audit, fixtureUri, itemsOf, keys, ours, waitForDiagnostics } from './helpers';

/**
 * What "Audit Workspace" hands to the Zero Trust view. The extension exports no API, so the
 * view's TreeDataProvider cannot be reached from here: its rows (grouping, suppressed
 * findings with their reason, reveal on click) are checked by the UI test; this suite checks
 * the data the view is built from and the commands behind its title buttons.
 */
const GATEWAY = 'reports/ingress-gateway.yaml';
const PRINCIPLES = ['least-privilege', 'micro-segmentation', 'credential-protection', 'encryption-in-transit', 'automated-enforcement', 'supply-chain', 'monitoring'];

suite('audit results (Zero Trust view)', () => {
  test('every finding is listed with principle and resource; suppressed ones with how and why, and not in Problems', async () => {
    const uri = fixtureUri(GATEWAY);
    const result = await audit();
    const items = itemsOf(result, uri);
    const suppressed = items.filter((i) => i.suppressed);
    assert.deepStrictEqual(
      suppressed.map((i) => [i.ruleId, i.range.start.line, i.suppressed]).sort(),
      [
        ['host-port', 22, { by: 'annotation', reason: 'the load balancer health check needs port 8443 on the node' }],
        ['privileged-container', 25, { by: 'comment', reason: "envoy programs the node's iptables for transparent proxying" }],
      ],
      'the annotation and the kzt-ignore comment of the fixture, with their reasons',
    );
    for (const item of items) {
      assert.deepStrictEqual(item.resource, { kind: 'Deployment', name: 'gateway', namespace: 'edge' }, `resource of ${item.ruleId}`);
      assert.ok(PRINCIPLES.includes(item.principle), `${item.ruleId} has a zero-trust principle: ${item.principle}`);
    }
    assert.strictEqual(suppressed.find((i) => i.ruleId === 'host-port')?.principle, 'micro-segmentation');
    assert.strictEqual(suppressed.find((i) => i.ruleId === 'privileged-container')?.principle, 'least-privilege');

    // Problems shows exactly the findings that are not suppressed.
    const active = items.filter((i) => !i.suppressed);
    assert.ok(active.length >= 5, `the gateway's other findings: ${keys(active).join(', ')}`);
    const diagnostics = await waitForDiagnostics(uri, (ds) => ds.length === active.length, 'the audit\'s findings in Problems');
    assert.deepStrictEqual(keys(diagnostics), keys(active));
    assert.ok(!ours(uri).some((d) => d.range.start.line === 22 || d.range.start.line === 25), 'no diagnostic for the suppressed findings');
  });

  test('files the audit could not check are listed with the reason, not left out', async () => {
    const latin1 = fixtureUri('broken/latin1-notes.yaml');
    await vscode.workspace.fs.writeFile(latin1, new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1
    try {
      const result = await audit();
      const entry = result.notChecked.find((f) => vscode.Uri.parse(f.uri).path === latin1.path);
      assert.ok(entry, `the file is listed as not checked: ${JSON.stringify(result.notChecked)}`);
      assert.match(entry.reason, /not UTF-8/);
      assert.ok(!result.items.some((i) => vscode.Uri.parse(i.uri).path === latin1.path));
    } finally {
      await vscode.workspace.fs.delete(latin1);
    }
  });

  test('the totals agree: findings, suppressed, files, posture and network graph', async () => {
    const result = await audit();
    const all = await vscode.workspace.findFiles('**/*.{yaml,yml}');
    assert.strictEqual(result.files, all.length);
    const active = result.items.filter((i) => !i.suppressed);
    assert.strictEqual(result.findings, active.length, 'findings count the items that are not suppressed');
    assert.strictEqual(result.filesWithFindings, new Set(active.map((i) => i.uri)).size);
    const posture = result.posture;
    assert.ok(posture, 'the result carries the posture for the report');
    assert.strictEqual(posture.total, result.findings);
    assert.strictEqual(posture.suppressed, result.items.length - active.length);
    assert.strictEqual(posture.files, result.files);
    for (const severity of ['error', 'warning', 'info'] as const) {
      assert.strictEqual(posture.bySeverity[severity], active.filter((i) => i.severity === severity).length, `${severity} count`);
      const sum: number = posture.byPrinciple.reduce((n: number, p) => n + p.counts[severity], 0);
      assert.strictEqual(sum, posture.bySeverity[severity], `${severity}: the principle rows add up`);
    }
    // Both groupings of the view have something to show.
    const principles = new Set(active.map((i) => i.principle));
    assert.ok(principles.has('least-privilege') && principles.has('micro-segmentation'), [...principles].join(', '));
    const namespaces = new Set(active.map((i) => i.resource?.namespace));
    for (const ns of ['shop', 'edge', 'kube-system', 'tools']) assert.ok(namespaces.has(ns), `namespace ${ns} among ${[...namespaces].join(', ')}`);

    const network = result.network;
    assert.ok(network, 'the reachability graph for the report');
    const labels = network.workloads.map((w) => w.label);
    for (const workload of ['Deployment/web', 'Deployment/gateway', 'CronJob/nightly-report']) assert.ok(labels.includes(workload), `${workload} in ${labels.join(', ')}`);
    assert.strictEqual(network.reach.length, labels.length);
    for (const row of network.reach) assert.strictEqual(row.length, labels.length, 'a square matrix');
    // The shop namespace denies by default: its web front end cannot reach the nightly job; the
    // gateway in the unprotected edge namespace can reach the unprotected tools pod.
    const at = (from: string, to: string) => network.reach[labels.indexOf(from)][labels.indexOf(to)];
    assert.strictEqual(at('Deployment/web', 'CronJob/nightly-report'), 'denied');
    assert.strictEqual(at('Deployment/gateway', 'Pod/debug-shell'), 'allowed');
  });

  test('the view is contributed and its title buttons switch the grouping', async () => {
    const extension = vscode.extensions.getExtension('kube-zero-trust.kube-zero-trust');
    const views = (extension?.packageJSON as { contributes?: { views?: Record<string, Array<{ id: string; name: string }>> } }).contributes?.views;
    assert.deepStrictEqual(views?.explorer?.map((v) => [v.id, v.name]), [['kubeZeroTrust.findings', 'Zero Trust']]);
    // Focusing the view fails for a view that was not registered.
    await vscode.commands.executeCommand('kubeZeroTrust.findings.focus');
    await vscode.commands.executeCommand('kubeZeroTrust.groupByNamespace');
    await vscode.commands.executeCommand('kubeZeroTrust.groupByPrinciple');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });
});
