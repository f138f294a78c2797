// Fix-all on Online Boutique's manifest generates a NetworkPolicy per workload. They must keep
// the traffic the workspace shows: the public storefront (frontend behind a LoadBalancer) stays
// reachable from anywhere, and every workload that names another's Service still reaches it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../../../server/src/engine/engine';
import { applyEdits } from '../../../server/src/edits/offset-edit';
import { networkIndex, reachabilityGraph } from '../../../server/src/analysis/network';
import { Workspace } from '../../../server/src/workspace/workspace';

const URI = 'file:///online-boutique/kubernetes-manifests.yaml';
const TEXT = readFileSync(join(__dirname, 'fixtures', 'online-boutique', 'kubernetes-manifests.yaml'), 'utf8');

function fixAll(): { text: string; engine: Engine } {
  const engine = new Engine(new Workspace());
  engine.workspace.setFile(URI, TEXT);
  const edit = engine.fixAll(URI, () => true);
  assert.ok(edit, 'fix-all changes the file');
  const text = applyEdits(TEXT, [edit]);
  engine.workspace.setFile(URI, text);
  return { text, engine };
}

describe('fix-all on Online Boutique', () => {
  const { text, engine } = fixAll();
  const policies = parseAllDocuments(text).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { ingress?: Array<{ from?: unknown[]; ports?: Array<{ port: number }> }> } }).filter((d) => d?.kind === 'NetworkPolicy');

  test('the frontend behind the LoadBalancer keeps its public ingress on its target port', () => {
    const frontend = policies.find((p) => p.metadata?.name === 'frontend-least-privilege');
    assert.ok(frontend, policies.map((p) => p.metadata?.name).join(', '));
    const open = frontend.spec?.ingress?.filter((rule) => rule.from === undefined) ?? [];
    assert.deepEqual(open.map((rule) => rule.ports?.map((p) => p.port)), [[8080]], JSON.stringify(frontend.spec?.ingress));
    // The rule says why, naming the Service and its manifest.
    assert.match(text, /# From anywhere: Service frontend-external \(kubernetes-manifests\.yaml\) is of type LoadBalancer: clients outside the cluster reach these ports/);
  });

  test('every workload that names a Service still reaches the pods behind it', () => {
    const index = networkIndex(engine.workspace);
    const graph = reachabilityGraph(index);
    const at = new Map(graph.workloads.map((w, i) => [w.label, i]));
    let pairs = 0;
    for (const from of index.workloads) {
      for (const reference of index.referencesFrom(from)) {
        for (const to of index.workloadsBehind(reference.service)) {
          pairs++;
          const reach = graph.reach[at.get(from.resource.label)!][at.get(to.resource.label)!];
          assert.equal(reach, 'allowed', `${from.resource.label} → ${to.resource.label} (${reference.where})`);
        }
      }
    }
    assert.ok(pairs >= 15, `${pairs} pairs checked`);
  });

  test('every generated rule has a comment naming the manifest it comes from', () => {
    // The generated policies follow the namespace's first workload (its one finding, with every workload's policy); the original has no such comment.
    const ruleComments = text.split('\n').filter((l) => /^\s*# (From|To) /.test(l));
    assert.ok(ruleComments.length >= 15, `${ruleComments.length} rule comments`);
    for (const line of ruleComments) assert.match(line, /kubernetes-manifests\.yaml|kube-dns/, line);
  });
});
