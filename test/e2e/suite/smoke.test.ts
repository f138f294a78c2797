import * as assert from 'assert';
import * as vscode from 'vscode';

suite('smoke: the fixture workspace is open', () => {
  test('finds the workspace YAML manifests', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, 'exactly one workspace folder is open');
    const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**');
    const names = uris.map((u) => vscode.workspace.asRelativePath(u, false)).sort();
    for (const expected of [
      'audit/nightly-job.yml',
      'broken/broken.yaml',
      'deploy/hardened-api.yaml',
      'deploy/privileged-web.yaml',
      'deploy/stack.yaml',
    ]) {
      assert.ok(names.includes(expected), `${expected} is in the workspace (found: ${names.join(', ')})`);
    }
  });
});
