// An audit that holds only a batch of files parsed at a time (`LintOptions.batchChars`: the
// editor's audit, `kzt audit --low-memory`) must find exactly what one that holds them all does.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintFiles } from '../../../server/src/audit/lint-files';
import type { LintOptions } from '../../../server/src/audit/load';
import { DEFAULT_CONFIG } from '../../../server/src/engine/config';

const root = join(__dirname, '..', '..', '..');
const files = ['examples', 'test/e2e/fixtures'].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true }).map(String).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(root, dir, f)),
);
const texts = [{ uri: 'file:///open/editor.yaml', text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n' }];

async function audit(batchChars?: number): Promise<string> {
  const options: LintOptions = { config: { ...DEFAULT_CONFIG, requireNamespace: true }, defaultNamespace: 'default', maxBytes: 4 << 20, cwd: root, ...(batchChars === undefined ? {} : { batchChars }) };
  const run = await lintFiles({ files, texts }, options, { threads: 0 });
  return JSON.stringify(run.results);
}

test('an audit in batches finds what one holding every file finds, in the same order', async () => {
  assert.ok(files.length > 20);
  const whole = await audit();
  assert.ok(JSON.parse(whole).some((r: { findings: unknown[] }) => r.findings.length > 0));
  // One file per batch (every file parsed alone for its lint), and a few files per batch.
  for (const batchChars of [1, 8192]) assert.equal(await audit(batchChars), whole, `batchChars ${batchChars}`);
});
