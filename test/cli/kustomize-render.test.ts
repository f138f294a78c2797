// `kzt audit` rendering kustomizations with the real `kubectl kustomize` (installed here and in CI).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');
const FIXTURE = join(root, 'test', 'fixtures', 'kustomize');

function audit(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-kustomize-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const before = snapshot(dir);
  const run = spawnSync(process.execPath, [CLI, 'audit', '.', '--format', 'json', '--fail-on', 'none', ...args], { cwd: dir, encoding: 'utf8' });
  assert.deepEqual(snapshot(dir), before, 'the audited files are never written');
  const report = JSON.parse(run.stdout) as {
    findings: Array<{ ruleId: string; message: string; file: string; range: { start: { line: number; character: number } } }>;
    skipped?: Array<{ file: string; reason: string; level: string }>;
  };
  return { report, stderr: run.stderr, code: run.status };
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

function of(report: ReturnType<typeof audit>['report'], ruleId: string) {
  return report.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message.slice(0, 60)}`);
}

/** One rendered audit for the cases that read it (each renders four kustomizations). */
let rendered: ReturnType<typeof audit> | undefined;
const renderedAudit = () => (rendered ??= audit(['--kustomize', 'kubectl kustomize']));

describe('kzt audit --kustomize', () => {
  test('the base\'s privileged container: in the overlay that does not harden it, on the base; the hardening overlay silences it', () => {
    const { report } = renderedAudit();
    assert.deepEqual(of(report, 'privileged-container'), ['base/workload.yaml:29:25 In overlays/prod: Container "app" is privileged, which amoun']);
  });

  test('a violation a patch introduces is reported on the patch, named by its overlay', () => {
    const { report } = renderedAudit();
    assert.deepEqual(of(report, 'host-namespace'), ['overlays/prod/host-network.yaml:8:20 The pod shares the node\'s network stack (hostNetwork: true).']);
  });

  test('a kustomization that fails to render gets one note with kustomize\'s message; one with a remote resource is not rendered', () => {
    const { report } = renderedAudit();
    const notes = (report.skipped ?? []).map((s) => `${s.level} ${s.file}: ${s.reason}`);
    assert.equal(notes.filter((n) => n.includes('broken/kustomization.yaml')).length, 1);
    assert.match(notes.find((n) => n.includes('broken/'))!, /^warning broken\/kustomization\.yaml: kustomize could not render broken: .*missing\.yaml.*Its files are checked as written\.$/);
    assert.deepEqual(notes.filter((n) => n.includes('remote/')), [
      'note remote/kustomization.yaml: remote was not rendered: it includes the remote resource https://github.com/example/manifests//app?ref=v1.0.0, which is never fetched. Its files are checked as written.',
    ]);
  });

  test('--kustomize off checks the files as written: no rendering notes, the base\'s value reported', () => {
    const { report } = audit(['--kustomize', 'off']);
    assert.deepEqual(report.skipped ?? [], []);
    assert.equal(of(report, 'privileged-container').length, 1);
    assert.match(of(report, 'privileged-container')[0], /^base\/workload\.yaml:29:25 /);
  });

  test('a command that cannot be found is a usage error', () => {
    const { code, stderr } = (() => {
      const run = spawnSync(process.execPath, [CLI, 'audit', FIXTURE, '--kustomize', 'no-such-kustomize-kzt'], { encoding: 'utf8' });
      return { code: run.status, stderr: run.stderr };
    })();
    assert.equal(code, 2);
    assert.match(stderr, /--kustomize: cannot run no-such-kustomize-kzt: not found or not executable/);
  });
});
