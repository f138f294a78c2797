// Fix safety: for every finding that has a fix (examples, rule cases, generated manifests,
// and real manifests with random edits that are still valid YAML), applying the fix yields
// valid YAML, the targeted finding disappears, no other document changes, comments survive,
// and fix-all is idempotent: applied twice, the second time changes nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { lintText } from '../../server/src/engine/engine';
import { exampleFiles, fcOptions, generatedManifest, mutatedManifest, seeds } from './arbitraries';
import { checkAllFixes } from './fix-checks';

describe('fix safety', () => {
  test('examples: every fix of every finding, and fix-all twice', () => {
    let checked = 0;
    for (const file of exampleFiles()) checked += checkAllFixes(file.text);
    assert.ok(checked > 0, 'the examples have no fixable findings: nothing was checked');
  });

  test('rule cases and the corpus: every fix of every finding, and fix-all twice', () => {
    let checked = 0;
    // Rule cases and the corpus files up to 10 KB (the examples are checked above); one fix
    // per rule and document (rule-cases.test.ts already applies every case's expected fix).
    for (const seed of seeds().filter((s) => !s.name.startsWith('examples/') && s.text.length <= 10_000)) {
      try {
        checked += checkAllFixes(seed.text, { perRule: true, compareWithEngine: false });
      } catch (error) {
        assert.fail(`${seed.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    assert.ok(checked > 10);
  });

  test('generated manifests in random styles: every fix is safe, fix-all is idempotent', () => {
    fc.assert(fc.property(generatedManifest, ({ text }) => void checkAllFixes(text)), fcOptions(30));
  });

  test('real manifests with random edits: fixes in documents that are still valid YAML stay safe', () => {
    fc.assert(
      fc.property(mutatedManifest(3), (m) => {
        // Huge scalars and bombs make slow but uninteresting fixes; edits of structure are the point here.
        if (m.text.length > 60_000) return;
        checkAllFixes(m.text);
      }),
      fcOptions(150),
    );
  });

  test('the generated manifests are valid YAML and have fixable findings (the generator works)', () => {
    const samples = fc.sample(generatedManifest, { seed: 1, numRuns: 30 });
    let fixable = 0;
    for (const { text } of samples) {
      assert.deepEqual(parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message) : [])), [], text);
      fixable += lintText(text).findings.filter((f) => f.fixes.length).length;
    }
    assert.ok(fixable > 30, `only ${fixable} fixable findings in 30 samples`);
  });
});
