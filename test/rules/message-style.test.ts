// Diagnostics are plain text in a Problems row: no Markdown backticks (VS Code shows them
// literally; hovers keep them), and a first sentence that states the problem in about 100
// characters, the why and how after it. Checked on every finding of every rule's invalid cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules';
import { lintText } from '../../server/src/engine/engine';
import { ruleProfiles, type RuleCases } from '../../server/src/engine/rule';

const MAX_FIRST_SENTENCE = 100;

/**
 * Rules whose messages still carry backticks or a long first sentence (issue 16 rewrites them
 * rule by rule; the RBAC rules belong to the RBAC work). Remove a rule from here once it passes.
 */
const NOT_YET: ReadonlySet<string> = new Set([
]);

/** The first sentence: up to the first full stop followed by a blank (names and versions keep their dots). */
function firstSentence(message: string): string {
  const end = message.search(/\.(\s|$)/);
  return end < 0 ? message : message.slice(0, end + 1);
}

test('every rule\'s messages: no backticks, the problem first in about 100 characters', async () => {
  const problems: string[] = [];
  const passing: string[] = [];
  for (const rule of RULES) {
    const id = rule.meta.id;
    const { cases } = (await import(`../../rules/${id}`)) as { cases: RuleCases };
    const own: string[] = [];
    for (const c of cases.invalid) {
      const profile = c.profile ?? 'restricted';
      const rules = ruleProfiles(rule.meta).includes(profile) ? {} : { [id]: rule.meta.severity };
      const found = lintText(c.yaml, { rules: [rule], config: { profile, requireNamespace: c.requireNamespace, rules, ruleOptions: c.options ? { [id]: c.options } : {} }, files: c.workspace }).findings;
      for (const { message } of found) {
        if (message.includes('`')) own.push(`${id}: backticks in "${message}"`);
        const first = firstSentence(message);
        if (first.length > MAX_FIRST_SENTENCE) own.push(`${id}: first sentence of ${first.length} characters: "${first}"`);
      }
    }
    if (own.length === 0) passing.push(id);
    if (!NOT_YET.has(id)) problems.push(...own);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(passing.filter((id) => NOT_YET.has(id)), [], 'these rules pass now: remove them from NOT_YET');
});
