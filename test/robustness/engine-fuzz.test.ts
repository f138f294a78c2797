// The engine on any text: never throws, answers in bounded time, every rule survives (no
// isolated failures), every position is inside the text, every fix is well-formed, fix-all
// terminates, hover providers survive, and re-linting after an edit (the keystroke path,
// which re-parses only what changed) gives exactly what a fresh lint gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Engine, lintText } from '../../server/src/engine/engine';
import type { FileResult } from '../../server/src/engine/lint';
import { applyEdits } from '../../server/src/edits/offset-edit';
import { HOVER_PROVIDERS } from '../../server/src/hovers';
import { nodeAtOffset } from '../../server/src/model/node-path';
import { Workspace } from '../../server/src/workspace/workspace';
import { fcOptions, mutatedManifest, mutationChain, randomYaml, seeds } from './arbitraries';

/** Bound for one lint of a generated text (under 300 KB) on a busy 2-core machine. */
const LINT_BUDGET_MS = 3_000;
const URI = 'file:///fuzz.yaml';

function checkResult(text: string, result: FileResult): void {
  const length = text.startsWith('\uFEFF') ? text.length - 1 : text.length;
  assert.deepEqual(result.failures, [], 'a rule threw (isolated, but a bug in that rule)');
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.start <= f.end && f.end <= length, `${f.ruleId}: offsets ${f.start}-${f.end} outside 0-${length}`);
    assert.ok(f.range.start.line <= f.range.end.line, `${f.ruleId}: range ends before it starts`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `${f.ruleId}: empty message`);
    for (const fix of f.fixes) {
      for (const e of fix.edits) {
        assert.ok(e && e.start >= 0 && e.start <= e.end && e.end <= length, `${f.ruleId}: fix "${fix.title}" edit ${JSON.stringify(e)} outside 0-${length}`);
      }
    }
  }
}

/** Everything the engine does with one text, timed (fix-all of real files is in fix-safety). */
function exercise(text: string, withFixAll = true): void {
  const started = Date.now();
  const result = lintText(text, { uri: URI });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < LINT_BUDGET_MS, `lint took ${elapsed} ms`);
  checkResult(text, result);
  const bare = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (const f of result.findings) for (const fix of f.fixes) applyEdits(bare, fix.edits);

  const engine = new Engine();
  engine.workspace.setFile(URI, text);
  if (withFixAll) {
    const fixStarted = Date.now();
    const all = engine.fixAll(URI, () => true);
    assert.ok(Date.now() - fixStarted < 4 * LINT_BUDGET_MS, `fix-all took ${Date.now() - fixStarted} ms`);
    if (all) assert.ok(all.start >= 0 && all.start <= all.end && all.end <= bare.length);
  }

  // Hover providers at a few offsets of every resource, as the server asks them.
  const file = engine.workspace.getFile(URI)!;
  for (const resource of file.resources) {
    for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
      const offset = Math.floor(fraction * resource.parsed.source.length);
      const at = nodeAtOffset(resource.parsed.doc.contents, offset);
      if (at) for (const provider of HOVER_PROVIDERS) provider({ resource, at, workspace: engine.workspace });
    }
  }
}

/** The keystroke path: a file edited in place, step after step, lints exactly like a fresh file. */
function incrementalMatchesFresh(texts: readonly string[]): void {
  const engine = new Engine(new Workspace());
  const view = (r: FileResult) => r.findings.map((f) => ({ ruleId: f.ruleId, start: f.start, end: f.end, range: f.range, message: f.message, docIndex: f.docIndex, fixes: f.fixes }));
  texts.forEach((text, step) => {
    engine.workspace.setFile(URI, text);
    const incremental = engine.lint(URI);
    if (step === 0) return;
    const fresh = lintText(text, { uri: URI });
    assert.deepEqual(view(incremental), view(fresh), `after edit ${step}, the incremental re-lint differs from a fresh lint`);
  });
}

describe('engine robustness', () => {
  test('every seed manifest lints cleanly (no rule throws, positions in range)', () => {
    for (const seed of seeds()) {
      try {
        exercise(seed.text, false);
      } catch (error) {
        assert.fail(`${seed.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });

  test('real manifests with random edits: never throws, bounded time, well-formed results', () => {
    fc.assert(fc.property(mutatedManifest(), (m) => exercise(m.text)), fcOptions(250));
  });

  test('random Kubernetes-shaped YAML with ill-typed values: no rule throws', () => {
    fc.assert(fc.property(randomYaml, (text) => exercise(text)), fcOptions(300));
  });

  test('re-linting an edited file equals linting it fresh', () => {
    fc.assert(
      fc.property(mutationChain(), (chain) => incrementalMatchesFresh(chain.texts)),
      fcOptions(120),
    );
  });
});
