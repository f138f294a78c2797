// The nesting guard (server/src/parsing/nesting.ts) must see every bracket yaml will recurse into.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('nesting guard', () => {
  test(
    'parsing: the nesting guard is not fooled by an apostrophe in a plain scalar or an escaped backslash before a closing quote',
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
