// Limits: an alias bomb costs nothing wherever it is put (the model resolves one alias at a
// time, on demand, and never expands one), and nesting far deeper than any stack is a YAML
// error in the real CLI process, not a crash; the other files are still audited.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Alias, isScalar, parseAllDocuments, visit } from 'yaml';
import { lintText } from '../../server/src/engine/engine';
import { aliasBomb, fcOptions, generatedManifest, mergeBomb } from './arbitraries';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** The text with one scalar value of its first document replaced by the top of a bomb defined above it. */
function bombAt(text: string, choice: number, merge: boolean): string | undefined {
  const doc = parseAllDocuments(text)[0];
  if (!doc || !('contents' in doc) || doc.errors.length) return undefined;
  const scalars: Array<[number, number]> = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.value) && pair.value.range) scalars.push([pair.value.range[0], pair.value.range[1]]);
    },
  });
  if (!scalars.length || !doc.contents) return undefined;
  const [start, end] = scalars[choice % scalars.length];
  const replaced = `${text.slice(0, start)}${merge ? '{<<: *m9}' : '*lol9'}${text.slice(end)}`;
  // The bomb goes in a key of its own at the top of the first document, so anchors precede the use.
  const bomb = merge ? mergeBomb('  ', 'm') : aliasBomb('  ');
  return `x-bombs:\n${bomb}\n${replaced.replace(/^---\r?\n/, '')}`;
}

describe('limits', () => {
  test('an alias or merge bomb in place of any value of a manifest costs nothing', () => {
    const resolve = Alias.prototype.resolve;
    let resolved = 0;
    Alias.prototype.resolve = function (...args: Parameters<typeof resolve>) {
      resolved++;
      return resolve.apply(this, args);
    };
    try {
      fc.assert(
        fc.property(generatedManifest, fc.nat(), fc.boolean(), ({ text }, choice, merge) => {
          const bombed = bombAt(text.replace(/\r\n/g, '\n'), choice, merge);
          if (!bombed) return;
          const started = Date.now();
          const result = lintText(bombed);
          assert.ok(Date.now() - started < 2_000, `lint took ${Date.now() - started} ms`);
          assert.deepEqual(result.failures, []);
        }),
        fcOptions(60),
      );
    } finally {
      Alias.prototype.resolve = resolve;
    }
    assert.equal(resolved, 0, 'the model must not call Alias.resolve (it walks the whole document per call)');
  });

  test('nesting 100,000 levels deep is a YAML error in the CLI, not a crash; the file\'s other document is checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kzt-deep-'));
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: nginx, securityContext: {privileged: true}}]\n';
    writeFileSync(join(dir, 'flow.yaml'), `${pod}---\ndata: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    writeFileSync(join(dir, 'block.yaml'), `${'- '.repeat(100_000)}x\n---\n${pod}`);
    writeFileSync(join(dir, 'maps.yaml'), `${pod}---\na: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
    // One file per run: several deep files in one run crash the process today (known-issues.test.ts).
    for (const file of ['flow.yaml', 'block.yaml', 'maps.yaml']) {
      const run = spawnSync(process.execPath, [CLI, 'audit', file, '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 1, `${file}: ${run.signal ?? ''} ${run.stderr.slice(0, 2000)}`);
      const findings: Array<{ ruleId: string }> = JSON.parse(run.stdout).findings;
      assert.ok(findings.some((f) => f.ruleId === 'yaml-syntax'), `${file}: no YAML error`);
      assert.ok(findings.some((f) => f.ruleId === 'privileged-container'), `${file}: its other document was not checked`);
    }
  });
});
