import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { codeOf, openFixture, waitForDiagnostics } from './helpers';

/** Language server processes started by this extension host (child processes running dist/server.js). */
function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (!/dist[\\/]server\.js/.test(cmdline)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

suite('language server crash', () => {
  test('after the server process is killed, the client restarts it and diagnostics come back', async function () {
    assert.ok(fs.existsSync('/proc/self/cmdline'), 'this test finds the server through /proc (Linux)');
    const document = await openFixture('deploy/privileged-web.yaml');
    const full = (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === 'privileged-container') && ds.some((d) => codeOf(d) === 'run-as-root');
    await waitForDiagnostics(document.uri, full, 'findings before the crash');

    const before = serverPids();
    assert.strictEqual(before.length, 1, `one language server child of the extension host (pid ${process.pid}); found ${JSON.stringify(before)}`);

    const cleared = waitForDiagnostics(document.uri, (ds) => ds.length === 0, 'diagnostics cleared when the server died');
    process.kill(before[0], 'SIGKILL');
    await cleared;
    await waitForDiagnostics(document.uri, full, 'findings from the restarted server');

    const after = serverPids();
    assert.strictEqual(after.length, 1, `one server again; found ${JSON.stringify(after)}`);
    assert.notStrictEqual(after[0], before[0], 'a new process');
  });
});
