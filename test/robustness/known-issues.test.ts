// Bugs the robustness tests found in code this suite does not own, reported to its owners.
// Each is a `todo` test: it runs and shows as todo without failing the run. When one passes,
// the bug is fixed: drop the `todo` (and move the test next to what it guards).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('known issues (reported, not owned here)', () => {
  test(
    'parsing: the nesting guard is not fooled by an apostrophe in a plain scalar or an escaped backslash before a closing quote',
    { todo: "parsing/nesting.ts: `[it's, [[[…` and `[\"x\\\\\", [[[…` open a quote the guard never closes, so the brackets after it are not counted and yaml recurses until the stack overflows again" },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kzt-guard-'));
      const n = 20_000;
      writeFileSync(join(dir, 'apostrophe.yaml'), `a: [it's, ${'['.repeat(n)}${']'.repeat(n)}]\n`);
      writeFileSync(join(dir, 'escaped.yaml'), `a: ["x\\\\", ${'['.repeat(n)}${']'.repeat(n)}]\n`);
      for (const file of ['apostrophe.yaml', 'escaped.yaml']) {
        const run = spawnSync(process.execPath, [CLI, 'audit', file], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
        assert.doesNotMatch(run.stdout, /call stack/, `${file}: ${run.stdout.slice(0, 300)}`);
        assert.match(run.stdout, /nested deeper than/);
      }
    },
  );
});
