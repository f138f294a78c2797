// A repository written by an attacker, audited by the CLI and opened in the language server.
// Each test is one reproduction of issue 22 (an unbounded read, symbolic links out of the
// tree, a command link in a notification, --output through a link, terminal and Markdown
// injection; the regular-expression ones are in redos.test.ts and below): it must not
// reproduce, through the built CLI as a process and the server over stdio.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ServerProcess } from './server-process';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

const POD = (name: string, container = 'app') => `apiVersion: v1
kind: Pod
metadata:
  name: ${JSON.stringify(name)}
  namespace: shop
spec:
  containers:
    - name: ${JSON.stringify(container)}
      image: nginx:1.27
      securityContext: {privileged: true}
`;

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-hostile-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function kzt(cwd: string, args: string[], input?: string | Buffer) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  return { ...run, ms: Date.now() - started };
}

/** Peak resident memory of a finished child, from GNU time (or undefined where it is missing). */
function peakMemoryMB(cwd: string, args: string[]): number | undefined {
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (run.error) return undefined;
  const kb = Number(run.stderr.trim().split('\n').pop());
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('a hostile repository', () => {
  describe('1. reads are bounded by what is read, not by stat', () => {
    test('a manifest linked to /proc/self/pagemap is skipped; the audit stays small and quick', () => {
      const dir = folder({ 'ok.yaml': POD('web') });
      symlinkSync('/proc/self/pagemap', join(dir, 'pods.yaml'));
      const run = kzt(dir, ['audit', '.', '--format', 'json']);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /pods\.yaml: skipped: symbolic link to a path outside the checked folders/);
      assert.ok(run.ms < 30_000, `took ${run.ms} ms`);
      const peak = peakMemoryMB(dir, ['audit', '.']);
      if (peak !== undefined) assert.ok(peak < 400, `peak RSS ${peak} MB`);
    });

    test('a file whose stat size is 0 but whose content is not (/proc) is read only up to the limit', () => {
      const run = kzt(tmpdir(), ['audit', '/proc/self/maps', '--max-file-size', '0.001', '--format', 'json']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /\/proc\/self\/maps: skipped: over the 1 KB limit/);
    });

    test('standard input has the same limit as files', () => {
      const big = `${POD('web')}---\n${'# padding\n'.repeat(680_000)}`; // 6.5 MB
      const run = kzt(tmpdir(), ['audit', '-', '--format', 'json'], big);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /<stdin>: skipped: over the 5 MB limit/);
      const small = kzt(tmpdir(), ['audit', '-', '--max-file-size', '10'], big);
      assert.equal(small.status, 1, small.stderr);
    });

    test('the config file is bounded too, and an implicit one may not lead out of the working directory', () => {
      const dir = folder({ 'pod.yaml': POD('web') });
      symlinkSync('/proc/self/pagemap', join(dir, '.kube-zero-trust.yaml'));
      const run = kzt(dir, ['audit', '.']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /\.kube-zero-trust\.yaml: skipped: symbolic link to a path outside the checked folders/);
      const big = folder({ 'pod.yaml': POD('web'), '.kube-zero-trust.yaml': `# ${'x'.repeat(6 << 20)}\nprofile: baseline\n` });
      assert.match(kzt(big, ['audit', '.']).stderr, /\.kube-zero-trust\.yaml: skipped: 6\.1 MB is over the 5 MB limit/);
    });

    test('devices and FIFOs named like manifests are skipped with a reason, never opened', () => {
      const dir = folder({ 'ok.yaml': POD('web') });
      spawnSync('mkfifo', [join(dir, 'pipe.yaml')]);
      symlinkSync('/dev/null', join(dir, 'null.yaml'));
      const run = kzt(dir, ['audit', '.', '/dev/zero', '--format', 'json']);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /pipe\.yaml: skipped: not a regular file/);
      assert.match(run.stderr, /null\.yaml: skipped: symbolic link to a path outside/);
      assert.match(run.stderr, /\/dev\/zero: skipped: not a regular file/);
    });

    test('the language server indexes such a repository without reading the link', async () => {
      const dir = folder({ 'ok.yaml': POD('web') });
      symlinkSync('/proc/self/pagemap', join(dir, 'pods.yaml'));
      const server = await ServerProcess.start({ workspaceFolder: dir, settings: { debounceMs: 0 } });
      try {
        const audit = await server.request<{ files: number }>('kzt/auditWorkspace', null, 30_000);
        assert.equal(audit.files, 1);
        assert.ok(server.logs.some((l) => /pods\.yaml: skipped: symbolic link to a path outside/.test(l.message)), 'the skip is logged');
        const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.process.pid}/status`, 'utf8'))?.[1]) / 1024;
        assert.ok(rss < 600, `server peak RSS ${rss} MB`);
      } finally {
        await server.stop();
      }
    });
  });

  describe('2. symbolic links do not leave the tree', () => {
    function linkedRepository(): { dir: string; elsewhere: string } {
      const elsewhere = folder({ 'outside.yaml': POD('outside') });
      const dir = folder({ 'app/pod.yaml': POD('web'), 'shared/base.yaml': POD('base') });
      symlinkSync('/', join(dir, 'root'));
      symlinkSync(elsewhere, join(dir, 'vendor'));
      symlinkSync(join(elsewhere, 'outside.yaml'), join(dir, 'app', 'linked.yaml'));
      symlinkSync('../shared', join(dir, 'app', 'inside')); // stays in the tree: followed (and `shared` is then not visited again)
      symlinkSync('loop-b', join(dir, 'loop-a.yaml'));
      symlinkSync('loop-a.yaml', join(dir, 'loop-b'));
      return { dir, elsewhere };
    }

    test('the CLI follows links inside the audited folder only, and reports the others', () => {
      const { dir, elsewhere } = linkedRepository();
      const run = kzt(dir, ['audit', '.', '--format', 'sarif']);
      assert.ok(run.ms < 30_000, `took ${run.ms} ms`);
      const sarif = JSON.parse(run.stdout);
      const files = new Set(sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0].physicalLocation.artifactLocation.uri));
      assert.deepEqual([...files].sort(), ['app/inside/base.yaml', 'app/pod.yaml']);
      assert.doesNotMatch(run.stdout, new RegExp(elsewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.doesNotMatch(JSON.stringify(sarif.runs[0].results), /outside/);
      for (const name of ['root', 'vendor', 'app/linked.yaml']) assert.match(run.stderr, new RegExp(`${name}: skipped: symbolic link to a path outside the checked folders`));
      assert.match(run.stderr, /loop-a\.yaml: symbolic link loop/);
    });

    test('a path given on the command line is the user\'s choice: it is followed', () => {
      const { dir, elsewhere } = linkedRepository();
      const run = kzt(dir, ['audit', 'vendor', '--format', 'json']);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /outside\.yaml/);
      assert.doesNotMatch(run.stdout, new RegExp(`"file": "${elsewhere}`));
    });

    test('the language server\'s index and Audit Workspace stay inside the workspace folder', async () => {
      const { dir, elsewhere } = linkedRepository();
      const server = await ServerProcess.start({ workspaceFolder: dir, settings: { debounceMs: 0 } });
      try {
        const audit = await server.request<{ files: number; items: Array<{ uri: string }> }>('kzt/auditWorkspace', null, 30_000);
        assert.equal(audit.files, 2);
        for (const item of audit.items) assert.ok(item.uri.startsWith(`file://${dir}/`), item.uri);
        // A watched-file event for a link out of the tree reads nothing.
        server.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${dir}/app/linked.yaml`, type: 1 }] });
        const again = await server.request<{ files: number; items: Array<{ uri: string }> }>('kzt/auditWorkspace', null, 30_000);
        assert.equal(again.files, 2);
        assert.ok(!again.items.some((i) => i.uri.includes('linked')));
        const published = [...server.diagnostics.keys()];
        assert.ok(!published.some((uri) => uri.includes(elsewhere) || uri.includes('linked')), published.join(', '));
      } finally {
        await server.stop();
      }
    });
  });

  test('3. a file name cannot put a command link into a notification', async () => {
    const dir = folder();
    const name = '[Show details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20pwned%5Cn%22%7D).yaml';
    const server = await ServerProcess.start({ workspaceFolder: dir, settings: { debounceMs: 0, maxFileSizeMB: 0.1 } });
    try {
      await server.request('kzt/listRules', null);
      server.open(`file://${dir}/${encodeURIComponent(name)}`, `${POD('web')}${'# padding\n'.repeat(20_000)}`);
      const message = await server.until('the size notification', () => server.windowMessages.find((m) => /larger than/.test(m.message)));
      // VS Code renders `[text](target)` in notifications as a link: that pair must not survive.
      assert.doesNotMatch(message.message, /\]\(/);
      assert.match(message.message, /Show details/);
    } finally {
      await server.stop();
    }
  });

  describe('4. --output never writes through a symbolic link', () => {
    test('a report path that is a link is refused and its target left alone', () => {
      const home = folder({ '.bashrc': '# my shell\n' });
      const dir = folder({ 'pod.yaml': POD('web\ntouch /tmp/pwned\n') });
      symlinkSync(join(home, '.bashrc'), join(dir, 'kzt-report.txt'));
      const run = kzt(dir, ['audit', '.', '--output', 'kzt-report.txt']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /kzt-report\.txt is a symbolic link: refusing to write through it/);
      assert.equal(readFileSync(join(home, '.bashrc'), 'utf8'), '# my shell\n');
      assert.equal(readlinkSync(join(dir, 'kzt-report.txt')), join(home, '.bashrc'));
    });

    test('a regular report file is replaced whole, with no temporary file left behind', () => {
      const dir = folder({ 'pod.yaml': POD('web'), 'report.json': 'old' });
      const run = kzt(dir, ['audit', '.', '--format', 'json', '--output', 'report.json']);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.ok(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).findings.length > 0);
      assert.ok(lstatSync(join(dir, 'report.json')).isFile());
      assert.deepEqual(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort(), ['pod.yaml', 'report.json']);
    });
  });

  describe('5. detectors run in linear time on hostile values', () => {
    const N = 200_000;
    const HOSTILE: Record<string, string> = {
      // Above a node with findings: the suppression comment is parsed for each of them.
      'ignore-comment.yaml': POD('web').replace('      securityContext', `      # kzt-ignore a${' '.repeat(N)}b\n      securityContext`),
      'env-name.yaml': POD('web').replace('      securityContext', `      env: [{name: ${'A'.repeat(N)}_PASSWORD, value: hunter2hunter2}]\n      securityContext`),
      'dotted-value.yaml': POD('web').replace('      securityContext', `      env: [{name: DB_URL, value: "${'a.'.repeat(N / 2)}"}]\n      securityContext`),
      'braces.yaml': POD('web').replace('      securityContext', `      env: [{name: TOKEN, value: "${'{{'.repeat(N / 2)}"}, {name: SECRET, value: "${'\\${'.repeat(N / 3)}"}]\n      securityContext`),
      'configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata:\n  app.ini: "password = a${' '.repeat(N)}b"\n`,
    };

    test('the CLI audits each hostile file quickly', () => {
      const dir = folder(HOSTILE);
      const run = kzt(dir, ['audit', '.', '--format', 'json']);
      assert.ok(run.status === 0 || run.status === 1, run.stderr);
      assert.ok(run.ms < 20_000, `took ${run.ms} ms`);
      assert.equal(JSON.parse(run.stdout).skipped.length, 0);
    });

    test('an exemption glob that would backtrack is refused with its line, quickly', () => {
      const dir = folder({ 'pod.yaml': POD('web'), '.kube-zero-trust.yaml': `exemptions:\n  - name: "${'*a'.repeat(5000)}b"\n    reason: x\n` });
      const run = kzt(dir, ['audit', '.']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /\.kube-zero-trust\.yaml:2:\d+: .*exemptions/);
      assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
    });

    test('the language server answers with diagnostics for each hostile file quickly', async () => {
      const dir = folder();
      const server = await ServerProcess.start({ workspaceFolder: dir, settings: { debounceMs: 0 } });
      try {
        for (const [name, text] of Object.entries(HOSTILE)) {
          const started = Date.now();
          server.open(`file://${dir}/${name}`, text);
          await server.diagnosticsFor(`file://${dir}/${name}`, 20_000);
          assert.ok(Date.now() - started < 20_000, `${name}: ${Date.now() - started} ms`);
        }
      } finally {
        await server.stop();
      }
    });
  });

  describe('6. no terminal injection', () => {
    const FORGED = 'web\u001b[0m\u001b[2J\u001b[3J\u001b[HNo findings in 1 files\r\n\u001b[30;40m';

    test('names in the text report are shown with their control characters escaped', () => {
      const dir = folder({ 'pod.yaml': POD(FORGED, 'app\u0007\u009b31m\u202e') });
      const run = kzt(dir, ['audit', '.']);
      assert.equal(run.status, 1);
      for (const line of run.stdout.split('\n')) assert.doesNotMatch(line, CONTROL, JSON.stringify(line));
      assert.doesNotMatch(run.stdout, /\u202e/);
      assert.doesNotMatch(run.stdout, /^No findings/m);
      assert.match(run.stdout, /web\\e\[0m\\e\[2J/);
      assert.match(run.stdout, /^✖ \d+ findings/m);
    });

    test('file names and problems on stderr are escaped too', () => {
      const dir = folder({ 'pod.yaml': POD('web') });
      writeFileSync(join(dir, 'evil\u001b[2J\rnote.yaml'), Buffer.from([0xff, 0xfe, 0x00]));
      const run = kzt(dir, ['audit', '.', '--format', 'sarif']);
      assert.equal(run.status, 1, run.stderr);
      for (const line of run.stderr.split('\n')) assert.doesNotMatch(line, CONTROL, JSON.stringify(line));
      assert.match(run.stderr, /evil\\e\[2J\\rnote\.yaml: skipped/);
    });

    test('JSON and SARIF keep the exact names, escaped as JSON', () => {
      const dir = folder({ 'pod.yaml': POD(FORGED) });
      for (const format of ['json', 'sarif']) {
        const run = kzt(dir, ['audit', '.', '--format', format]);
        assert.doesNotMatch(run.stdout, CONTROL);
        assert.ok(run.stdout.includes(JSON.stringify(FORGED).slice(1, -1)), `${format} keeps the name`);
        JSON.parse(run.stdout);
      }
    });
  });

  test('7. names cannot inject HTML or Markdown into the Markdown report', () => {
    const names = ['img<img src=x onerror=alert(1)>', 'script<script>alert(1)</script>', 'link[click](https://attacker.example)', 'image![x](https://attacker.example/p.png)', 'hide\r<!--', 'pipe|cell', 'code`x`', 'amp&lt;'];
    const dir = folder(Object.fromEntries(names.map((name, i) => [`pod-${i}.yaml`, POD(name)])));
    const run = kzt(dir, ['audit', '.', '--format', 'markdown']);
    const json = JSON.parse(kzt(dir, ['audit', '.', '--format', 'json']).stdout);
    assert.equal(run.status, 1);
    assert.doesNotMatch(run.stdout, /<img|<script|<!--|\]\(https:\/\/attacker/);
    assert.match(run.stdout, /amp&amp;lt;/);
    assert.doesNotMatch(run.stdout, /\r/);
    // Every finding is its own table row: nothing closed a row early or hid the rest.
    const section = run.stdout.split('## Findings')[1].split('\n## ')[0];
    const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Severity') && !line.startsWith('| ---'));
    assert.equal(rows.length, json.findings.length);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 7, row);
    assert.match(run.stdout, /img&lt;img src=x onerror=alert\\\(1\\\)&gt;/);
  });
});
