// A file's result over the contexts (top-level kustomizations) that deploy it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../../server/src/engine/finding';
import { lintText } from '../../../server/src/engine/engine';
import { withContexts } from '../../../server/src/rendering/merge-contexts';

describe('withContexts', () => {
  test('the file keeps its syntax errors, and its own fixes for a context finding at the same node', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {privileged: true}\n---\nkey: [unclosed\n';
    const own = lintText(text, { uri: 'file:///base/pod.yaml' });
    const privileged = own.findings.find((f) => f.ruleId === 'privileged-container')!;
    assert.ok(privileged.fixes.length > 0);
    // As a rendered finding placed at the node comes: no fixes of its own.
    const fromContext: Finding = { ...privileged, message: 'rendered', fixes: [] };
    const result = withContexts(own, [{ label: 'overlays/prod', findings: [fromContext], suppressed: [] }, { label: 'overlays/dev', findings: [], suppressed: [] }]);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['privileged-container', 'yaml-syntax']);
    assert.equal(result.findings[0].message, 'In overlays/prod: rendered');
    assert.deepEqual(result.findings[0].fixes, privileged.fixes);
  });
});
