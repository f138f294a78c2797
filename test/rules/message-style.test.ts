// Diagnostics are plain text in a Problems row: no Markdown backticks (VS Code shows them
// literally; hovers keep them), and a first sentence that states the problem in about 100
// characters, the why and how after it. Checked on every finding of every rule's invalid cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules';
import { lintText } from '../../server/src/engine/engine';
import { ruleProfiles, type RuleCases } from '../../server/src/engine/rule';

const MAX_FIRST_SENTENCE = 100;

/** The first sentence: up to the first full stop followed by a blank (names and versions keep their dots). */
function firstSentence(message: string): string {
  const end = message.search(/\.(\s|$)/);
  return end < 0 ? message : message.slice(0, end + 1);
}

test('every rule\'s messages: no backticks, the problem first in about 100 characters', async () => {
  const problems: string[] = [];
  for (const rule of RULES) {
    const id = rule.meta.id;
    const { cases } = (await import(`../../rules/${id}`)) as { cases: RuleCases };
    for (const c of cases.invalid) {
      const profile = c.profile ?? 'restricted';
      const rules = ruleProfiles(rule.meta).includes(profile) ? {} : { [id]: rule.meta.severity };
      const found = lintText(c.yaml, { rules: [rule], config: { profile, requireNamespace: c.requireNamespace, rules, ruleOptions: c.options ? { [id]: c.options } : {} }, files: c.workspace }).findings;
      for (const { message } of found) {
        if (message.includes('`')) problems.push(`${id}: backticks in "${message}"`);
        const first = firstSentence(message);
        if (first.length > MAX_FIRST_SENTENCE) problems.push(`${id}: first sentence of ${first.length} characters: "${first}"`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
