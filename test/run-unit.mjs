// Runs every `*.test.ts` under test/ (except the editor suites in test/e2e) with Node's test
// runner through tsx. Node 20's `--test` does not expand globs itself.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'test'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts') && !f.startsWith('e2e'))
  .map((f) => relative(root, join(root, 'test', f)))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const result = spawnSync(tsx, ['--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
