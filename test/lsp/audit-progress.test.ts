// Audit Workspace's progress and cancel button, over stdio as the client drives them: the client
// passes its own progress token (it shows a cancellable notification) and cancels the request;
// the server reports the file count on that token and stops, returning what it audited so far.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { ServerProcess } from '../robustness/server-process';

const POD = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: shop}\nspec:\n  containers: [{name: app, image: nginx:1.27, securityContext: {privileged: true}}]\n`;

test('the client\'s progress token gets the file count; cancelling the request stops the audit with what it has', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-audit-progress-'));
  for (let i = 0; i < 400; i++) writeFileSync(join(dir, `pod-${i}.yaml`), POD(i));
  const server = await ServerProcess.start({ workspaceFolder: dir, settings: { debounceMs: 0 } });
  try {
    const messages: string[] = [];
    const source = new CancellationTokenSource();
    // (Replaces the harness's catch-all handler of $/progress.)
    server.connection.onNotification('$/progress', ({ token, value }: { token: string; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }) => {
      if (token !== 'audit-1') return;
      if (value.kind !== 'end' && value.message) messages.push(value.message);
      // Cancel once the lint has started counting files.
      if (value.kind !== 'end' && /^[1-9]\d* of 400 files$/.test(value.message ?? '')) source.cancel();
    });
    const result = await Promise.race([
      server.connection.sendRequest<{ cancelled: boolean; files: number; items: unknown[] }>('kzt/auditWorkspace', { workDoneToken: 'audit-1' }, source.token),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer; progress: ${messages.join(' | ')}`)), 60_000)),
    ]);
    assert.ok(messages.some((m) => /of 400 files/.test(m)), `the file count was reported: ${messages.join(' | ')}`);
    assert.equal(result.cancelled, true, 'the audit stopped');
    assert.ok(result.items.length < 400 * 5, `only part of the workspace was linted (${result.items.length} items)`);
    // Without a token of the client's, the audit runs to the end under the server's own progress.
    const full = await server.request<{ cancelled: boolean; findings: number }>('kzt/auditWorkspace', null, 60_000);
    assert.equal(full.cancelled, false);
    assert.ok(full.findings >= 400);
  } finally {
    await server.stop();
  }
});
