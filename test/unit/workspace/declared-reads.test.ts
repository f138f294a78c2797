// Rules read of other resources only what they declare (`RuleMeta.reads`): the workspace keeps
// and compares only the declared projections of other files (signatures decide which files an
// edit re-lints; extracts are what compact files and other audit threads hold), so an
// undeclared read would give stale or thread-dependent results. Every read is traced while
// each rule runs alone on its own cases, the examples and the editor fixtures.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RULES } from '../../../rules';
import { defineRule, type Rule } from '../../../server/src/engine/rule';
import { lintText } from '../../../server/src/engine/engine';
import { corpora, undeclaredReads, type Corpus } from './read-trace-harness';

let corpus: Corpus[] = [];
before(async () => {
  corpus = await corpora();
});

/** A plausible new rule: two workloads of a namespace run the same image. It reads other workloads' images. */
function sharedImageRule(reads: Rule['meta']['reads']): Rule {
  return defineRule({
    meta: { id: 'shared-image', title: 'Shared image', principle: 'least-privilege', severity: 'info', reads, docs: { what: '', why: '', fix: '', peers: {} } },
    check(resource, { workspace, report }) {
      const mine = resource.podSpec?.containers.map((c) => c.map.string('image'));
      if (!mine?.length) return;
      for (const other of workspace.resources()) {
        if (other === resource || !other.podSpec) continue;
        if (other.podSpec.containers.some((c) => mine.includes(c.map.string('image')))) report({ node: resource.root.node, message: `shares an image with ${other.label}` });
      }
    },
  });
}

describe('declared reads', () => {
  for (const rule of RULES) {
    test(`${rule.meta.id} reads only what it declares of other resources`, () => {
      const undeclared = undeclaredReads(rule, corpus);
      assert.deepEqual(
        undeclared.map((r) => `${rule.meta.id} reads ${r.path.join('.')} of a ${r.kind || 'document without kind'} (first in ${r.where}) without declaring it in meta.reads`),
        [],
      );
    });
  }

  test('a rule reading a field of other resources it did not declare fails, naming the rule and the field', () => {
    const undeclared = undeclaredReads(sharedImageRule(['podNetwork']), corpus);
    assert.ok(
      undeclared.some((r) => r.kind === 'Deployment' && r.path.join('.') === 'spec.template.spec.containers.*.image'),
      JSON.stringify(undeclared.map((r) => `${r.kind} ${r.path.join('.')}`)),
    );
  });

  test('a rule that declares no reads may not query the workspace: the query fails, naming the rule', () => {
    const pods = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: x}]\n';
    const result = lintText(pods, { rules: [sharedImageRule(undefined)], files: { 'file:///b.yaml': pods.replace('name: a', 'name: b') }, config: { profile: 'restricted', rules: { 'shared-image': 'info' } } });
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0].error, /rule shared-image queried the workspace but declares no reads/);
  });
});
