// meta.messages: a report by id gets its template filled from data in one pass; a report that
// names no message, an unknown id or a placeholder without data is the rule's error (the engine
// keeps the rule's failure, and the other rules' findings).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument, type Node } from 'yaml';
import { lintText } from '../../server/src/engine/engine';
import { defineRule, resolveReport, type RuleMeta } from '../../server/src/engine/rule';

const node = parseDocument('a: 1').contents as Node;
const meta = { id: 'demo', messages: { named: '{{who}} has {{what}}.', plain: 'Nothing to fill.' } } as unknown as RuleMeta;

describe('rule messages', () => {
  test('placeholders are filled from data once: a value that looks like a placeholder stays as it is', () => {
    assert.equal(resolveReport(meta, { node, messageId: 'named', data: { who: 'Container "{{what}}"', what: 2 } }).message, 'Container "{{what}}" has 2.');
    assert.equal(resolveReport(meta, { node, messageId: 'plain' }).message, 'Nothing to fill.');
    assert.equal(resolveReport(meta, { node, message: 'given' }).message, 'given');
  });

  test('an unknown id, a placeholder without data and a report without any message throw, naming the rule', () => {
    assert.throws(() => resolveReport(meta, { node, messageId: 'nope' }), /rule demo reported the unknown messageId "nope"/);
    assert.throws(() => resolveReport(meta, { node, messageId: 'named', data: { who: 'x' } }), /rule demo, message named: no data for \{\{what\}\}/);
    assert.throws(() => resolveReport(meta, { node }), /rule demo reported neither message nor messageId/);
  });

  test('through the engine: the finding carries the message and its id; a broken report is a rule failure', () => {
    const base = { title: 'Demo', principle: 'least-privilege', severity: 'warning', docs: { what: 'x', why: 'x', fix: 'x', peers: {} } } as const;
    const good = defineRule({ meta: { ...base, id: 'demo-good', messages: { hi: 'Pod {{name}} is here.' } }, check: (r, { report }) => report({ node: r.root.node, messageId: 'hi', data: { name: r.name } }) });
    const bad = defineRule({ meta: { ...base, id: 'demo-bad', messages: { hi: 'Pod {{name}} is here.' } }, check: (r, { report }) => report({ node: r.root.node, messageId: 'hi' }) });
    const result = lintText('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n', { rules: [good, bad], config: { profile: 'restricted', rules: {} } });
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.messageId, f.message]), [['demo-good', 'hi', 'Pod web is here.']]);
    assert.deepEqual(result.failures.map((f) => f.ruleId), ['demo-bad']);
  });
});
