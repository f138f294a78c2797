// The `kzt` CLI on a hostile file system: unreadable files, directories without permission,
// symbolic link loops, non-UTF-8 and oversized files, FIFOs, deep directory trees. Each
// problem is reported on stderr with its path, the rest is still audited, and the exit code
// is 2 only when nothing could be read. Permissions mean nothing to root, so when the tests
// run as root the CLI runs as `nobody` through `setpriv` (skipped, with the reason, if that
// is impossible).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const NOBODY = 65534;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
`;

const isRoot = process.getuid?.() === 0;
/** How to drop root for the permission tests, or why they cannot run. */
const dropRoot: { prefix: string[] } | { skip: string } = (() => {
  if (!isRoot) return { prefix: [] };
  const probe = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', 'process.exit(process.getuid() === 65534 ? 0 : 1)']);
  return probe.status === 0
    ? { prefix: ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] }
    : { skip: 'running as root and setpriv cannot switch to nobody: permissions would mean nothing' };
})();

const folders: string[] = [];
after(() => {
  for (const dir of folders) {
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A world-readable folder (the CLI may run as nobody) with the given files. */
function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-faults-'));
  folders.push(dir);
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, name), content, { mode: 0o644 });
  }
  return dir;
}

/** The bundled CLI copied where `nobody` can read it (the checkout itself may be private, as a mktemp clone is). */
let readableCli: string | undefined;
function cliReadableByAnyone(): string {
  if (!readableCli) {
    const dir = folder();
    readableCli = join(dir, 'cli.js');
    copyFileSync(CLI, readableCli);
    chmodSync(readableCli, 0o644);
  }
  return readableCli;
}

function kzt(args: string[], cwd: string, asUser = false) {
  const prefix = asUser && 'prefix' in dropRoot ? dropRoot.prefix : [];
  const [command, ...rest] = prefix.length ? prefix : [process.execPath];
  const cli = prefix.length ? cliReadableByAnyone() : CLI;
  const run = spawnSync(command, [...rest, ...(prefix.length ? [process.execPath] : []), cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, signal: run.signal };
}

const permissionTest = 'skip' in dropRoot ? { skip: dropRoot.skip } : {};

describe('kzt audit on a hostile file system', () => {
  test('an unreadable file is reported, the others audited; only unreadable files: exit 2', permissionTest, () => {
    const dir = folder({ 'good.yaml': POD, 'secret.yaml': POD, 'sub/also.yml': POD });
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    const run = kzt(['audit', '.', '--format', 'json'], dir, true);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^kzt: .*secret\.yaml: permission denied$/m);
    assert.deepEqual([...new Set(JSON.parse(run.stdout).findings.map((f: { file: string }) => f.file))].sort(), ['good.yaml', 'sub/also.yml']);
    const only = kzt(['audit', 'secret.yaml', '--format', 'json'], dir, true);
    assert.equal(only.code, 2, only.stdout + only.stderr);
    assert.match(only.stderr, /secret\.yaml: permission denied/);
    assert.match(only.stderr, /no file could be checked/);
    assert.deepEqual(JSON.parse(only.stdout).skipped, [{ file: 'secret.yaml', reason: 'permission denied', level: 'warning' }], 'the report is written all the same');
  });

  test('directories without permission are reported and skipped', permissionTest, () => {
    const dir = folder({ 'good.yaml': POD, 'closed/hidden.yaml': POD, 'listonly/inside.yaml': POD, 'listonly/README.md': '# docs\n' });
    chmodSync(join(dir, 'closed'), 0o000);
    chmodSync(join(dir, 'listonly'), 0o644); // can list names, cannot open or stat anything in it
    const run = kzt(['audit', '.', '--format', 'compact'], dir, true);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /closed: permission denied/);
    assert.match(run.stderr, /listonly\/inside\.yaml: permission denied/);
    assert.doesNotMatch(run.stderr, /README\.md/, 'files that are not manifests are not reported');
    assert.match(run.stdout, /^good\.yaml:\d+:\d+ error privileged-container/m);
    assert.match(run.stdout, /^closed:1:1 warning not-checked permission denied$/m);
    const only = kzt(['audit', 'closed'], dir, true);
    assert.equal(only.code, 2);
  });

  test('symbolic link loops are reported or visited once, never followed forever', () => {
    const dir = folder({ 'app/pod.yaml': POD });
    symlinkSync('self.yaml', join(dir, 'self.yaml')); // a link to itself
    symlinkSync('b.yaml', join(dir, 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    symlinkSync('..', join(dir, 'app', 'parent')); // a directory cycle
    symlinkSync(join(dir, 'app'), join(dir, 'app-again'));
    const run = kzt(['audit', '.', '--format', 'json'], dir);
    assert.equal(run.code, 1, run.stderr);
    for (const name of ['self.yaml', 'a.yaml', 'b.yaml']) assert.match(run.stderr, new RegExp(`${name}: symbolic link loop`));
    const files = JSON.parse(run.stdout).findings.map((f: { file: string }) => f.file);
    assert.deepEqual([...new Set(files)], ['app/pod.yaml'], 'the cycle is entered once');
  });

  test('non-UTF-8, UTF-16, binary and oversized files are reported; the rest is audited', () => {
    const big = `${POD}---\n# ${'x'.repeat(5 * 1048576)}\n`;
    const dir = folder({
      'good.yaml': POD,
      'latin1.yaml': Buffer.from(POD.replace('web', 'caf\u00e9'), 'latin1'),
      'utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]),
      'binary.yml': Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131) % 256)),
      'huge.yaml': big,
      'bom.yaml': `\uFEFF${POD}`,
    });
    const run = kzt(['audit', '.', '--format', 'json'], dir);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /latin1\.yaml: skipped: not UTF-8 text/);
    assert.match(run.stderr, /utf16\.yaml: skipped: UTF-16 text; save it as UTF-8/);
    assert.match(run.stderr, /binary\.yml: skipped: not UTF-8 text/);
    assert.match(run.stderr, /huge\.yaml: skipped: 5\.1 MB is over the 5 MB limit/);
    const files = new Set(JSON.parse(run.stdout).findings.map((f: { file: string }) => f.file));
    assert.deepEqual([...files].sort(), ['bom.yaml', 'good.yaml']);
    const bom = JSON.parse(run.stdout).findings.find((f: { file: string; ruleId: string }) => f.file === 'bom.yaml' && f.ruleId === 'privileged-container');
    assert.deepEqual(bom.range.start, { line: 7, character: 36 }, 'a byte-order mark does not shift positions');
    const onlyBad = kzt(['audit', 'latin1.yaml', 'huge.yaml', 'missing.yaml', '--format', 'sarif'], dir);
    assert.equal(onlyBad.code, 2, 'nothing could be read');
    assert.equal(onlyBad.stderr.match(/^kzt: /gm)?.length, 4, onlyBad.stderr);
    assert.equal(JSON.parse(onlyBad.stdout).runs[0].invocations[0].toolExecutionNotifications.length, 3);
    const raised = kzt(['audit', 'huge.yaml', '--max-file-size', '6', '--format', 'json'], dir);
    assert.equal(raised.code, 1, raised.stderr);
    assert.deepEqual(JSON.parse(raised.stdout).skipped, []);
  });

  test('a FIFO is never opened (it would block); given explicitly, it is reported', () => {
    const dir = folder({ 'good.yaml': POD });
    const mkfifo = spawnSync('mkfifo', [join(dir, 'pipe.yaml')]);
    if (mkfifo.status !== 0) return;
    const run = kzt(['audit', '.'], dir);
    assert.equal(run.code, 1, `${run.signal ?? ''} ${run.stderr}`);
    assert.match(run.stdout, /pipe\.yaml: skipped: not a regular file/);
    const explicit = kzt(['audit', 'pipe.yaml', '--format', 'json'], dir);
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /pipe\.yaml: skipped: not a regular file/);
  });

  test('a directory tree 400 levels deep is scanned (no recursion limit)', () => {
    const dir = folder();
    let path = dir;
    for (let i = 0; i < 400; i++) path = join(path, 'd');
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'deep.yaml'), POD);
    const run = kzt(['audit', '.', '--format', 'json'], dir);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(JSON.parse(run.stdout).findings.some((f: { file: string }) => f.file.endsWith('d/deep.yaml')));
  });

  test('an empty folder, a file that is not Kubernetes YAML or empty input is nothing to check (exit 2, unless --allow-empty); a missing path is an error', () => {
    const dir = folder({ 'notes.txt': 'shopping list\n', 'values.yaml': 'replicas: 3\n' });
    mkdirSync(join(dir, 'empty'));
    for (const args of [['empty'], ['notes.txt'], ['.'], ['-']]) {
      const run = spawnSync(process.execPath, [CLI, 'audit', ...args], { cwd: dir, encoding: 'utf8', input: '' });
      assert.equal(run.status, 2, `kzt audit ${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, new RegExp(`no Kubernetes YAML found under ${args[0] === '-' ? 'standard input' : args[0].replace('.', '\\.')}`));
      assert.match(run.stdout, /No findings in/, 'the report is still written');
    }
    const binary = spawnSync(process.execPath, [CLI, 'audit', '-'], { cwd: dir, encoding: 'utf8', input: Buffer.from([0, 1, 2, 0xff]) });
    assert.equal(binary.status, 2);
    const empty = kzt(['audit', 'empty', '--allow-empty'], dir);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No findings in 0 files/);
    const missing = kzt(['audit', 'nothing-here'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /nothing-here: no such file or directory/);
    assert.match(missing.stderr, /no file could be checked/);
  });
});
