// Where CI users run kzt: the GitHub Action (action/) and the pre-commit hook
// (.pre-commit-hooks.yaml), each run for real: the action's audit step with the environment
// GitHub gives it, the hook through `pre-commit try-repo` (Debian's pre-commit, installed with
// apt-get when the tests run as root, as in CI).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - {name: app, image: nginx:1.27, securityContext: {privileged: true}}
`;

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-ci-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('GitHub Action', () => {
  const action = parse(readFileSync(join(root, 'action', 'action.yml'), 'utf8'));

  test('is a composite action whose inputs reach its scripts only as environment variables', () => {
    assert.equal(action.runs.using, 'composite');
    for (const step of action.runs.steps) {
      // `${{ inputs.x }}` pasted into a script is a script injection (GitHub's hardening guide).
      if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, `step "${step.name}" interpolates into its script`);
    }
    const audit = action.runs.steps.find((s: { id?: string }) => s.id === 'audit');
    for (const input of Object.keys(action.inputs)) assert.ok(Object.values(audit.env).includes(`\${{ inputs.${input} }}`), `input ${input} is passed`);
  });

  test('its audit step writes the SARIF report and the step outputs, and exits with kzt\'s code', () => {
    const dir = folderWith({ 'deploy/pod.yaml': POD, 'other dir/pod.yaml': POD.replace('name: web', 'name: api') });
    const outputs = join(dir, 'github-output');
    const run = (env: Record<string, string>) =>
      spawnSync(join(root, 'action', 'run.sh'), ['audit'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: outputs, ...env } });
    const failed = run({ KZT_PATHS: 'deploy\nother dir', KZT_FORMAT: 'sarif', KZT_OUTPUT: 'results.sarif', KZT_FAIL_ON: 'warning' });
    assert.equal(failed.status, 1, failed.stderr);
    const sarif = JSON.parse(readFileSync(join(dir, 'results.sarif'), 'utf8'));
    const files = new Set(sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0].physicalLocation.artifactLocation.uri));
    assert.deepEqual([...files].sort(), ['deploy/pod.yaml', 'other%20dir/pod.yaml']);
    assert.equal(readFileSync(outputs, 'utf8'), 'report=results.sarif\nexit-code=1\n');
    const passing = run({ KZT_PATHS: 'deploy', KZT_FAIL_ON: 'none', KZT_PROFILE: 'baseline' });
    assert.equal(passing.status, 0, passing.stderr);
    assert.ok(existsSync(join(dir, 'kube-zero-trust.sarif')), 'the default output');
    const injected = run({ KZT_OUTPUT: 'x.sarif\nexit-code=0' });
    assert.equal(injected.status, 2, 'a line break cannot forge a step output');
  });
});

/** `pre-commit` on PATH, installed from Debian when possible; or why the test cannot run. */
function preCommit(): { skip?: string } {
  if (spawnSync('pre-commit', ['--version']).status === 0) return {};
  if (process.getuid?.() !== 0) return { skip: 'pre-commit is not installed (apt-get install pre-commit) and the tests do not run as root to install it' };
  const install = spawnSync('sh', ['-c', 'apt-get install -y -qq pre-commit >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq pre-commit)'], { encoding: 'utf8' });
  assert.equal(install.status, 0, `apt-get install pre-commit failed: ${install.stderr}`);
  return {};
}

describe('pre-commit hook', () => {
  test('pre-commit try-repo installs the hook from this repository and fails a commit with findings', { timeout: 600_000, ...preCommit() }, () => {
    // The hook repository: this checkout's files as they are now (tracked and new), committed.
    const hookRepo = mkdtempSync(join(tmpdir(), 'kzt-hook-repo-'));
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      // Deleted files, and links (a node_modules link in a worktree), are not the hook's files.
      if (!lstatSync(join(root, file), { throwIfNoEntry: false })?.isFile()) continue;
      mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
      copyFileSync(join(root, file), join(hookRepo, file));
    }
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=kzt', '-c', 'user.email=kzt@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });
    git(hookRepo, 'init', '-q');
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '-qm', 'hook');

    const project = folderWith({ 'k8s/pod.yaml': POD, 'k8s/policy.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n' });
    git(project, 'init', '-q');
    git(project, 'add', '-A');
    const env = { ...process.env, PRE_COMMIT_HOME: join(project, '.pre-commit-home') };
    const run = spawnSync('pre-commit', ['try-repo', hookRepo, 'kube-zero-trust', '--all-files'], { cwd: project, encoding: 'utf8', env, timeout: 540_000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /Kubernetes Zero Trust\.+Failed/);
    assert.match(run.stdout, /k8s\/pod\.yaml:6:\d+ error privileged-container/);
    // The whole repository is audited: the policy in another file isolates the pod.
    assert.doesNotMatch(run.stdout, /workload-not-isolated/);

    writeFileSync(join(project, 'k8s', 'pod.yaml'), POD.replace('{privileged: true}', '{privileged: false}'));
    const config = 'rules:\n  privileged-container: error\nexclude: []\nprofile: baseline\n';
    writeFileSync(join(project, '.kube-zero-trust.yaml'), config);
    git(project, 'add', '-A');
    const clean = spawnSync('pre-commit', ['try-repo', hookRepo, 'kube-zero-trust', '--all-files'], { cwd: project, encoding: 'utf8', env, timeout: 540_000 });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /Kubernetes Zero Trust\.+Passed/);
  });
});
