// Runs every rule's own valid and invalid cases (ESLint RuleTester style) and checks that
// each fix yields valid YAML, keeps comments and removes the finding it targets.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { lintText } from '../../server/src/engine/engine';
import type { Rule, RuleCases } from '../../server/src/engine/rule';
import { applyEdits } from '../../server/src/fixes/offset-edit';

const rulesDir = join(__dirname, '..', '..', 'rules');
const ids = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));

function comments(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim().startsWith('#')).map((l) => l.trim());
}

for (const id of ids) {
  describe(`rule ${id}`, async () => {
    const mod = (await import(join(rulesDir, `${id}.ts`))) as { default: Rule; cases: RuleCases };
    const rule = mod.default;
    const run = (yaml: string, c: { profile?: 'baseline' | 'restricted'; workspace?: Record<string, string> }) =>
      lintText(yaml, { rules: [rule], config: { profile: c.profile ?? 'restricted', rules: { [id]: rule.meta.severity } }, files: c.workspace })
        .findings.filter((f) => f.ruleId === id);

    for (const c of mod.cases.valid) {
      test(`valid: ${c.name}`, () => {
        const found = run(c.yaml, c);
        assert.deepEqual(found.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message}`), []);
      });
    }
    for (const c of mod.cases.invalid) {
      test(`invalid: ${c.name}`, () => {
        const found = run(c.yaml, c);
        assert.deepEqual(
          found.map((f) => ({ line: f.range.start.line, column: f.range.start.character })),
          c.findings.map((f) => ({ line: f.line, column: f.column })),
        );
        c.findings.forEach((expected, i) => {
          if (expected.message) assert.ok(found[i].message.includes(expected.message), `message "${found[i].message}" lacks "${expected.message}"`);
        });
        if (c.fixed === undefined) return;
        assert.ok(found[0].fixes.length > 0, 'the first finding has no fix');
        const fixed = applyEdits(c.yaml, found[0].fixes[0].edits);
        assert.equal(fixed, c.fixed);
        for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], 'fixed YAML is invalid');
        for (const comment of comments(c.yaml)) assert.ok(comments(fixed).includes(comment), `comment lost: ${comment}`);
        assert.ok(run(fixed, c).length < found.length, 'the fix did not remove its finding');
      });
    }
  });
}

test('every rule has metadata, documentation and both kinds of cases', async () => {
  for (const id of ids) {
    const { default: rule, cases } = (await import(join(rulesDir, `${id}.ts`))) as { default: Rule; cases: RuleCases };
    assert.equal(rule.meta.id, id, `${id}: meta.id must equal the file name`);
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const field of ['what', 'why', 'fix'] as const) assert.ok(rule.meta.docs[field].length > 20, `${id}: docs.${field} too short`);
    assert.ok(Object.keys(rule.meta.docs.peers).length > 0 || /no peer/i.test(rule.meta.docs.why + rule.meta.docs.fix), `${id}: no peer ids`);
    assert.ok(cases.valid.length > 0 && cases.invalid.length > 0, `${id}: needs valid and invalid cases`);
  }
});
