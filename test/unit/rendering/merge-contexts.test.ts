// One finding per root cause over the contexts (top-level kustomizations) that deploy a file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../../server/src/engine/finding';
import { lintText } from '../../../server/src/engine/engine';
import { mergeContexts, withContexts } from '../../../server/src/rendering/merge-contexts';

function finding(ruleId: string, start: number, fields: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity: 'warning',
    message: `${ruleId} message`,
    uri: 'file:///base/pod.yaml',
    start,
    end: start + 4,
    range: { start: { line: 0, character: start }, end: { line: 0, character: start + 4 } },
    docIndex: 0,
    fixes: [],
    ...fields,
  };
}

describe('mergeContexts', () => {
  test('a finding of every context once as it is; of some, once, naming them; silenced in one context, a finding of the others', () => {
    const everywhere = finding('run-as-root', 10);
    const some = finding('privileged-container', 20, { severity: 'error' });
    const merged = mergeContexts([
      { name: 'overlays/prod', findings: [everywhere, some], suppressed: [] },
      { name: 'overlays/dev', findings: [{ ...everywhere, message: 'dev wording' }], suppressed: [finding('privileged-container', 20, { suppressed: { by: 'comment' } })] },
      { name: 'overlays/staging', findings: [everywhere, some], suppressed: [finding('host-port', 30, { suppressed: { by: 'annotation' } })] },
    ]);
    assert.deepEqual(merged.findings.map((f) => [f.ruleId, f.severity, f.message]), [
      ['run-as-root', 'warning', 'dev wording'],
      ['privileged-container', 'error', 'In overlays/prod, overlays/staging: privileged-container message'],
    ]);
    assert.deepEqual(merged.suppressed.map((f) => [f.ruleId, f.message]), [['host-port', 'In overlays/staging: host-port message']]);
  });

  test('the same rule at another node or on another container is another finding', () => {
    const merged = mergeContexts([
      { name: 'a', findings: [finding('run-as-root', 10, { target: 'containers[0]' }), finding('run-as-root', 10, { target: 'containers[1]' }), finding('run-as-root', 40)], suppressed: [] },
    ]);
    assert.equal(merged.findings.length, 3);
  });
});

describe('withContexts', () => {
  test('the file keeps its syntax errors, and its own fixes for a context finding at the same node', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {privileged: true}\n---\nkey: [unclosed\n';
    const own = lintText(text, { uri: 'file:///base/pod.yaml' });
    const privileged = own.findings.find((f) => f.ruleId === 'privileged-container')!;
    assert.ok(privileged.fixes.length > 0);
    // As a rendered finding placed at the node comes: no fixes of its own.
    const fromContext: Finding = { ...privileged, message: 'rendered', fixes: [] };
    const result = withContexts(own, [{ name: 'overlays/prod', findings: [fromContext], suppressed: [] }, { name: 'overlays/dev', findings: [], suppressed: [] }]);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['privileged-container', 'yaml-syntax']);
    assert.equal(result.findings[0].message, 'In overlays/prod: rendered');
    assert.deepEqual(result.findings[0].fixes, privileged.fixes);
  });
});
