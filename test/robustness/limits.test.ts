// Limits: an alias bomb costs nothing wherever it is put (the model resolves one alias at a
// time, on demand, and never expands one), and nesting far deeper than any stack is a clear
// YAML error in the real CLI and server processes, not a crash; the rest is still checked.
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
import { ServerProcess } from './server-process';

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

  test('nesting 100,000 levels deep is a clear YAML error in the CLI, not a crash; the other documents and files are checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kzt-deep-'));
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: nginx, securityContext: {privileged: true}}]\n';
    const deep: Record<string, string> = {};
    // Several deep files in one run aborted the process (V8, near the stack limit) before
    // the parser refused deep documents; each kind of nesting, twice.
    for (const n of [10_000, 100_000]) {
      deep[`flow-${n}.yaml`] = `${pod}---\ndata: ${'['.repeat(n)}${']'.repeat(n)}\n`;
      deep[`block-${n}.yaml`] = `${'- '.repeat(n)}x\n---\n${pod}`;
      deep[`maps-${n}.yaml`] = `${pod}---\na: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
      deep[`indent-${Math.min(n, 3_000)}.yaml`] = `${pod}---\n${Array.from({ length: Math.min(n, 3_000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`;
    }
    for (const [name, text] of Object.entries(deep)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'good.yaml'), pod);
    const run = spawnSync(process.execPath, [CLI, 'audit', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 1, `${run.signal ?? ''} ${run.stderr.slice(0, 2000)}`);
    const findings: Array<{ file: string; ruleId: string; message: string }> = JSON.parse(run.stdout).findings;
    for (const file of Object.keys(deep)) {
      const error = findings.find((f) => f.file === file && f.ruleId === 'yaml-syntax');
      assert.ok(error, `${file}: no YAML error`);
      assert.match(error.message, /nested deeper than \d+ levels/, `${file}: ${error.message}`);
      assert.ok(findings.some((f) => f.file === file && f.ruleId === 'privileged-container'), `${file}: its other document was not checked`);
    }
    assert.ok(findings.some((f) => f.file === 'good.yaml' && f.ruleId === 'privileged-container'));
  });

  test('the language server survives deeply nested documents, one after the other', async () => {
    const server = await ServerProcess.start({ settings: { debounceMs: 0 } });
    try {
      const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: nginx, securityContext: {privileged: true}}]\n';
      const n = 100_000;
      const texts = [`${'- '.repeat(n)}x\n---\n${pod}`, `${pod}---\ndata: ${'['.repeat(n)}${']'.repeat(n)}\n`, `${pod}---\na: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`];
      for (const [i, text] of [...texts, ...texts].entries()) {
        const uri = `file:///tmp/kzt-deep-${i}.yaml`;
        server.open(uri, text);
        const diagnostics = await server.diagnosticsFor(uri, 30_000);
        assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax' && /nested deeper/.test(String(d.message))), JSON.stringify(diagnostics.map((d) => d.message)));
        assert.ok(diagnostics.some((d) => d.code === 'privileged-container'));
      }
      assert.ok(server.alive);
    } finally {
      await server.stop();
    }
  });
});
