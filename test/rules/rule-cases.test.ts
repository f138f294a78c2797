// Runs every rule's own valid and invalid cases, ESLint RuleTester style: an invalid case lists
// every finding of the rule exactly (whole range, message, every fix with its whole output),
// and each fix, applied alone, must give that output, valid YAML with the case's comments,
// and remove the finding it targets.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { lintText } from '../../server/src/engine/engine';
import type { Finding } from '../../server/src/engine/finding';
import { ruleProfiles, type ExpectedFinding, type InvalidCase, type Rule, type RuleCases, type ValidCase } from '../../server/src/engine/rule';
import { ruleOptionsErrors } from '../../server/src/config/rule-options';
import { applyEdits } from '../../server/src/edits/offset-edit';

const rulesDir = join(__dirname, '..', '..', 'rules');
const ids = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));

function comments(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim().startsWith('#')).map((l) => l.trim());
}

function yamlErrors(text: string): string[] {
  return parseAllDocuments(text).flatMap((doc) => doc.errors.map((e) => e.message));
}

const RANGE_KEYS = ['line', 'column', 'endLine', 'endColumn'] as const;
const EXPECTED_KEYS = new Set<string>([...RANGE_KEYS, 'message', 'messageId', 'severity', 'fixes']);
const FIX_KEYS = new Set(['title', 'output', 'newFiles', 'manual', 'changesBehaviour']);

/**
 * The expectation must say everything: a case written for the old contract (start only, no
 * fixes) or with a misspelt key fails here, naming what is missing, rather than passing unchecked.
 */
function checkComplete(c: InvalidCase): void {
  assert.ok(Array.isArray(c.findings), 'the case lists no findings');
  c.findings.forEach((expected: ExpectedFinding, i) => {
    const at = `finding ${i + 1}`;
    for (const key of RANGE_KEYS) assert.ok(Number.isInteger(expected[key]) && expected[key] >= 0, `${at}: \`${key}\` must be given (0-based)`);
    assert.ok(typeof expected.message === 'string' && expected.message.length > 0, `${at}: \`message\` must be given`);
    assert.ok(Array.isArray(expected.fixes), `${at}: \`fixes\` must be given (\`[]\` for a finding without fixes)`);
    for (const key of Object.keys(expected)) assert.ok(EXPECTED_KEYS.has(key), `${at}: unknown key \`${key}\``);
    expected.fixes.forEach((fix, j) => {
      assert.ok(typeof fix.title === 'string' && typeof fix.output === 'string', `${at}, fix ${j + 1}: \`title\` and \`output\` must be given`);
      for (const key of Object.keys(fix)) assert.ok(FIX_KEYS.has(key), `${at}, fix ${j + 1}: unknown key \`${key}\``);
    });
  });
  assert.ok(!('fixed' in c), '`fixed` is gone: give every fix its `output` in `findings[i].fixes`');
}

for (const id of ids) {
  describe(`rule ${id}`, async () => {
    const mod = (await import(join(rulesDir, `${id}.ts`))) as { default: Rule; cases: RuleCases };
    const rule = mod.default;
    // A rule outside the case's profile is enabled by a severity; inside it, it runs as users get it (its reports' own severities).
    const run = (yaml: string, c: ValidCase): Finding[] => {
      const profile = c.profile ?? 'restricted';
      const rules = ruleProfiles(rule.meta).includes(profile) ? {} : { [id]: rule.meta.severity };
      return lintText(yaml, { rules: [rule], config: { profile, requireNamespace: c.requireNamespace, rules, ruleOptions: c.options ? { [id]: c.options } : {} }, files: c.workspace })
        .findings.filter((f) => f.ruleId === id);
    };
    // Options a case gives must be options a user could configure.
    const checkOptions = (c: ValidCase) => {
      if (c.options === undefined) return;
      assert.ok(rule.meta.options, 'the case gives options, the rule has none');
      assert.deepEqual(ruleOptionsErrors(rule.meta.options.schema, c.options), [], 'the case\'s options do not match the rule\'s schema');
    };

    for (const c of mod.cases.valid) {
      test(`valid: ${c.name}`, () => {
        checkOptions(c);
        const found = run(c.yaml, c);
        assert.deepEqual(found.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message}`), []);
      });
    }
    for (const c of mod.cases.invalid) {
      test(`invalid: ${c.name}`, () => {
        checkComplete(c);
        checkOptions(c);
        const found = run(c.yaml, c);
        const range = (f: Finding) => ({ line: f.range.start.line, column: f.range.start.character, endLine: f.range.end.line, endColumn: f.range.end.character });
        assert.deepEqual(
          found.map((f) => ({ ...range(f), fixes: f.fixes.length })),
          c.findings.map((f) => ({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, fixes: f.fixes.length })),
          'findings (range and number of fixes) differ',
        );
        c.findings.forEach((expected, i) => {
          const finding = found[i];
          assert.ok(finding.message.includes(expected.message), `finding ${i + 1}: message "${finding.message}" lacks "${expected.message}"`);
          // A rule with meta.messages reports by id, and its cases say which message each finding is.
          assert.equal(finding.messageId, expected.messageId, `finding ${i + 1}: messageId`);
          if (expected.severity) assert.equal(finding.severity, expected.severity, `finding ${i + 1}: severity`);
          expected.fixes.forEach((want, j) => {
            const fix = finding.fixes[j];
            const at = `finding ${i + 1}, fix ${j + 1} ("${fix.title}")`;
            assert.equal(fix.title, want.title, `${at}: title`);
            assert.equal(fix.manual === true, want.manual === true, `${at}: manual`);
            assert.deepEqual(fix.changesBehaviour, want.changesBehaviour, `${at}: changesBehaviour (what it removes or creates)`);
            const fixed = applyEdits(c.yaml, fix.edits);
            assert.equal(fixed, want.output, `${at}: output`);
            const created = Object.fromEntries((fix.newFiles ?? []).map((file) => [file.uri, file.text]));
            assert.deepEqual(created, want.newFiles ?? {}, `${at}: new files`);
            for (const [uri, text] of [['the fixed text', fixed], ...Object.entries(created)]) assert.deepEqual(yamlErrors(text), [], `${at}: ${uri} is not valid YAML`);
            for (const comment of comments(c.yaml)) assert.ok(comments(fixed).includes(comment), `${at}: comment lost: ${comment}`);
            // A fix that only creates files removes its finding once they are in the workspace.
            const after = run(fixed, { ...c, workspace: { ...c.workspace, ...created } });
            assert.ok(after.length < found.length, `${at}: the fix did not remove its finding`);
          });
        });
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
    // Every message a rule can give is shown by one of its cases.
    const shown = new Set(cases.invalid.flatMap((c) => c.findings.map((f) => f.messageId)));
    for (const messageId of Object.keys(rule.meta.messages ?? {})) assert.ok(shown.has(messageId), `${id}: no invalid case shows message ${messageId}`);
  }
});
