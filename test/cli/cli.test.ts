// The `kzt` bin as users run it: formats, exit codes, unreadable input, SARIF validity.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');

const BAD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
`;

function kzt(args: string[], cwd: string, input?: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kzt-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('kzt audit', () => {
  test('compact output is path:line:col severity rule-id message, exit 1 on findings', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const { code, stdout } = kzt(['audit', '.', '--format', 'compact'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /^pod\.yaml:8:37 error privileged-container Container "app" is privileged/m);
  });

  test('text output is grouped by file (line:col  severity  message  rule-id), with a count per rule and totals', () => {
    const dir = folderWith({ 'pod.yaml': BAD, 'b.yaml': BAD.replace('name: web', 'name: api') });
    const { code, stdout } = kzt(['audit', '.'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /^b\.yaml\n {2}\d+:\d+ +\w+ +.*$/m);
    assert.match(stdout, /^pod\.yaml\n/m);
    assert.match(stdout, /^ {2}8:37 {2}error {4}Container "app" is privileged.* {2}privileged-container$/m);
    assert.match(stdout, /^By rule\n {2}\d+ {2}[a-z-]+$/m);
    assert.match(stdout, /^ {2}2 {2}privileged-container$/m);
    assert.match(stdout, /^✖ \d+ findings \(2 errors, \d+ warnings, \d+ info\) in 2 files$/m);
    assert.doesNotMatch(stdout, /\u001b/, 'no colour when piped');
    const one = kzt(['audit', 'pod.yaml', '--fail-on', 'none', '--profile', 'baseline'], dir);
    assert.match(one.stdout, /in 1 file$/m, 'singular');
  });

  test('every object that gets applied: List items, an Argo Rollout, a CRD named in podTemplates of the config file', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: builder, namespace: ci}\n  spec:\n    template:\n      spec:\n        containers: [{name: build, image: docker:27}]\n        volumes:\n        - name: docker\n          hostPath: {path: /var/run/docker.sock}\n';
    const webapp = 'apiVersion: example.com/v1\nkind: WebApp\nmetadata: {name: ui, namespace: shop}\nspec:\n  runtime:\n    template:\n      spec:\n        containers: [{name: ui, image: ui:1, securityContext: {privileged: true}}]\n';
    const dir = folderWith({ 'list.yaml': list, 'webapp.yaml': webapp, 'rollout.yaml': readFileSync(join(root, 'examples', 'rollout', 'rollout.yaml'), 'utf8') });
    const found = (args: string[]) => kzt(['audit', ...args, '--format', 'compact', '--fail-on', 'none'], dir).stdout.split('\n').filter((l) => /host-path-volume|privileged-container|image-tag-mutable/.test(l)).map((l) => l.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(found(['.']), ['list.yaml:13:28 error host-path-volume', 'rollout.yaml:39:18 warning image-tag-mutable']);
    // Without the configuration the WebApp is not known to run pods; with it, its template is checked.
    writeFileSync(join(dir, '.kube-zero-trust.yaml'), 'podTemplates:\n  - {apiVersion: example.com/v1, kind: WebApp, path: spec.runtime.template}\n');
    assert.match(kzt(['audit', 'webapp.yaml', '--format', 'compact'], dir).stdout, /^webapp\.yaml:8:76 error privileged-container Container "ui" is privileged/m);
  });

  test('progress on a terminal\'s stderr for long audits, nothing when piped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kzt-cli-many-'));
    for (let i = 0; i < 3000; i++) writeFileSync(join(dir, `c${i}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: shop}\ndata: {a: b}\n`);
    const args = [CLI, 'audit', dir, '--format', 'json', '--output', join(dir, 'report.json'), '--jobs', '1'];
    const piped = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stderr, '');
    // util-linux `script` gives the CLI a terminal.
    const tty = spawnSync('script', ['-qec', args.map((a) => `'${a}'`).join(' ').replace(/^/, `'${process.execPath}' `), '/dev/null'], { encoding: 'utf8' });
    assert.equal(tty.status, 0, tty.stdout);
    assert.match(tty.stdout, /kzt: parsing \d+ of 3000 files/);
  });

  test('colour follows FORCE_COLOR and NO_COLOR', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [CLI, 'audit', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } }).stdout;
    assert.match(run({ FORCE_COLOR: '1' }), /\u001b\[31merror/);
    assert.doesNotMatch(run({ FORCE_COLOR: '0' }), /\u001b/);
    assert.doesNotMatch(run({ NO_COLOR: '1' }), /\u001b/);
    const file = join(dir, 'report.txt');
    spawnSync(process.execPath, [CLI, 'audit', 'pod.yaml', '--output', file], { cwd: dir, env: { ...process.env, FORCE_COLOR: '' } });
    assert.doesNotMatch(readFileSync(file, 'utf8'), /\u001b/, 'no colour in files');
  });

  test('json output has 0-based LSP ranges and the resource', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const { stdout } = kzt(['audit', 'pod.yaml', '--format', 'json'], dir);
    const finding = JSON.parse(stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'privileged-container');
    assert.deepEqual(finding.range, { start: { line: 7, character: 36 }, end: { line: 7, character: 40 } });
    assert.deepEqual(finding.resource, { kind: 'Pod', name: 'web', namespace: 'shop' });
    assert.equal(finding.file, 'pod.yaml');
  });

  test('--fail-on decides the exit code; a clean run exits 0', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    assert.equal(kzt(['audit', '.', '--fail-on', 'none'], dir).code, 0);
    const clean = folderWith({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {color: blue}\n' });
    const run = kzt(['audit', '.', '--fail-on', 'info'], clean);
    assert.equal(run.code, 0, run.stdout);
  });

  test('usage errors and unreadable input exit 2; unreadable files are reported and skipped', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    assert.equal(kzt(['audit', '.', '--format', 'xml'], dir).code, 2);
    assert.equal(kzt(['lint'], dir).code, 2);
    const missing = kzt(['audit', 'nope/', '--format', 'json'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such file or directory/);
    const partly = kzt(['audit', 'pod.yaml', 'nope.yaml'], dir);
    assert.equal(partly.code, 1);
    assert.match(partly.stdout, /^Not checked\n {2}warning {2}nope\.yaml: no such file or directory$/m);
  });

  test('SARIF passes the SARIF multitool validator with no errors or warnings, files not checked included', () => {
    // The Namespace's missing default deny is related to the pod it leaves open (relatedLocations).
    const dir = folderWith({ 'pod.yaml': BAD, 'binary.yaml': '\u0000', 'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const { stdout, code } = kzt(['audit', '.', '--format', 'sarif'], dir);
    assert.equal(code, 1);
    const log = JSON.parse(stdout);
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.length > 0);
    assert.deepEqual(log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'namespace-without-default-deny').relatedLocations, [
      { id: 0, physicalLocation: { artifactLocation: { uri: 'pod.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 18, endLine: 3, endColumn: 21 } }, message: { text: 'Pod/web is open for ingress and egress.' } },
    ]);
    assert.deepEqual(
      log.runs[0].invocations[0].toolExecutionNotifications.map((n: { level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri]),
      [['warning', 'latin1.yaml']],
    );
    writeFileSync(join(dir, 'out.sarif'), stdout);
    const multitool = join(root, 'node_modules', '.bin', 'sarif-multitool');
    const validate = spawnSync(multitool, ['validate', join(dir, 'out.sarif'), '--output', join(dir, 'validation.sarif')], { encoding: 'utf8' });
    assert.equal(validate.status, 0, validate.stdout + validate.stderr);
    const validation = JSON.parse(readFileSync(join(dir, 'validation.sarif'), 'utf8'));
    const problems = validation.runs.flatMap((r: { results?: Array<{ level?: string; ruleId: string }> }) => r.results ?? []).filter((r: { level?: string }) => r.level !== 'note');
    assert.deepEqual(problems, []);
  });

  test('one root cause, one finding (issue 16): a privileged container, a hostNetwork pod, a namespace; default-namespace only when the team asks', () => {
    const dir = folderWith({
      'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
      'pod.yaml': BAD,
      'agent.yaml': `apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop}
spec:
  hostNetwork: true
  containers: [{name: agent, image: agent:1.0, ports: [{containerPort: 9100, hostPort: 9100}]}]
`,
      'settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
    });
    const findings = () => (JSON.parse(kzt(['audit', '.', '--format', 'json'], dir).stdout) as { findings: Array<{ ruleId: string; file: string; related?: Array<{ file: string; message: string }> }> }).findings;
    const rules = (file: string) => findings().filter((f) => f.file === file).map((f) => f.ruleId).sort();
    const single = ['apparmor-unconfined', 'capabilities-not-dropped', 'privilege-escalation-allowed', 'proc-mount-unmasked', 'seccomp-not-enforced'];
    assert.ok(rules('pod.yaml').includes('privileged-container'));
    assert.deepEqual(rules('pod.yaml').filter((id) => single.includes(id) || id === 'namespace-pod-security-not-enforced' || id === 'workload-not-isolated'), []);
    assert.ok(rules('agent.yaml').includes('host-namespace'));
    assert.ok(!rules('agent.yaml').includes('host-port'));
    assert.deepEqual(rules('namespace.yaml'), ['namespace-pod-security-not-enforced', 'namespace-without-default-deny']);
    // The namespace's one finding relates the pod it leaves open (the hostNetwork pod is not isolatable).
    assert.deepEqual(findings().find((f) => f.ruleId === 'namespace-without-default-deny')?.related, [
      { file: 'pod.yaml', range: { start: { line: 2, character: 17 }, end: { line: 2, character: 20 } }, message: 'Pod/web is open for ingress and egress.' },
    ]);
    assert.deepEqual(rules('settings.yaml'), []);
    writeFileSync(join(dir, '.kube-zero-trust.yaml'), 'requireNamespace: true\n');
    assert.deepEqual(rules('settings.yaml'), ['default-namespace']);
    // Once the namespace has a policy (for other pods), segmentation has begun: the pod it misses is reported itself.
    writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: cache, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: cache}}\n');
    assert.ok(rules('pod.yaml').includes('workload-not-isolated'));
  });

  test('JSON carries the tool, totals, each rule\'s principle and documentation, and validates against the published schema', async () => {
    const { default: Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync(join(root, 'server', 'src', 'report', 'kzt-report.schema.json'), 'utf8'));
    const compiled = new Ajv({ strict: true, allErrors: true }).compile(schema);
    // A plain predicate: Ajv's type guard would narrow the report to unknown.
    const validate = (data: unknown): boolean => compiled(data);
    const suppressed = BAD.replace('metadata: {name: web, namespace: shop}', 'metadata:\n  name: web\n  namespace: shop\n  annotations:\n    kube-zero-trust.io/ignore: "run-as-root" # base image needs root');
    const dir = folderWith({ 'pod.yaml': suppressed, 'broken.yaml': 'a: [\n', 'big.yaml': `# ${'x'.repeat(200_000)}\n` });
    const { stdout } = kzt(['audit', '.', '--format', 'json', '--max-file-size', '0.1'], dir);
    const report = JSON.parse(stdout);
    assert.ok(validate(report), JSON.stringify(compiled.errors, null, 2));
    assert.equal(report.tool.name, 'kube-zero-trust');
    assert.match(report.tool.version, /^\d+\.\d+\.\d+/);
    assert.equal(report.summary.findings, report.findings.length);
    assert.equal(report.summary.bySeverity.error + report.summary.bySeverity.warning + report.summary.bySeverity.info, report.findings.length);
    assert.equal(report.summary.byRule['privileged-container'], 1);
    assert.equal(report.summary.suppressed, 1);
    assert.equal(report.summary.notChecked, 1);
    assert.deepEqual(report.skipped, [{ file: 'big.yaml', reason: 'skipped: 0.2 MB is over the 0.1 MB limit', level: 'warning' }]);
    const privileged = report.findings.find((f: { ruleId: string }) => f.ruleId === 'privileged-container');
    assert.equal(privileged.principle, 'least-privilege');
    assert.equal(privileged.docsUrl, 'https://github.com/kube-zero-trust/kube-zero-trust/blob/main/rules/README.md#privileged-container');
    // The schema can fail: a report missing its totals is refused.
    assert.equal(validate({ ...report, summary: undefined }), false);
  });

  test('the size limit: maxFileSizeMB in the config file, --max-file-size over it', () => {
    const dir = folderWith({ 'pod.yaml': BAD, 'big.yaml': `${BAD}# ${'x'.repeat(200_000)}\n`, '.kube-zero-trust.yaml': 'maxFileSizeMB: 0.1\n' });
    const limited = JSON.parse(kzt(['audit', '.', '--format', 'json'], dir).stdout);
    assert.deepEqual(limited.skipped, [{ file: 'big.yaml', reason: 'skipped: 0.2 MB is over the 0.1 MB limit', level: 'warning' }]);
    const raised = JSON.parse(kzt(['audit', '.', '--format', 'json', '--max-file-size', '1'], dir).stdout);
    assert.deepEqual(raised.skipped, []);
    writeFileSync(join(dir, '.kube-zero-trust.yaml'), 'maxFileSizeMB: 0\n');
    const invalid = kzt(['audit', '.'], dir);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /\.kube-zero-trust\.yaml:1:\d+: .*maxFileSizeMB/);
  });

  test('GitLab Code Quality: one issue per finding and per file not checked, with stable unique fingerprints', () => {
    const dir = folderWith({ 'pod.yaml': BAD, 'other.yaml': BAD.replace('name: web', 'name: api') });
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const run = kzt(['audit', '.', '--format', 'gitlab'], dir);
    assert.equal(run.code, 1);
    const issues = JSON.parse(run.stdout) as Array<{ type: string; check_name: string; description: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number } } }>;
    const json = JSON.parse(kzt(['audit', '.', '--format', 'json'], dir).stdout);
    assert.equal(issues.length, json.findings.length + 1);
    for (const issue of issues) {
      assert.equal(issue.type, 'issue');
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity), issue.severity);
      assert.match(issue.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(issue.location.lines.begin >= 1);
      assert.ok(!issue.location.path.startsWith('/'), 'paths relative to the project');
    }
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
    const privileged = issues.find((i) => i.check_name === 'privileged-container' && i.location.path === 'pod.yaml')!;
    assert.deepEqual([privileged.severity, privileged.location.lines.begin], ['major', 8]);
    assert.deepEqual(issues.filter((i) => i.check_name === 'not-checked').map((i) => i.location.path), ['latin1.yaml']);
    // A line added above a finding moves it, not its fingerprint.
    writeFileSync(join(dir, 'pod.yaml'), `# a comment\n${BAD}`);
    const moved = (JSON.parse(kzt(['audit', '.', '--format', 'gitlab'], dir).stdout) as typeof issues).find((i) => i.check_name === 'privileged-container' && i.location.path === 'pod.yaml')!;
    assert.deepEqual([moved.fingerprint, moved.location.lines.begin], [privileged.fingerprint, 9]);
  });

  test('argument errors name the flag, suggest the closest one and point to --help', () => {
    const dir = folderWith({ 'pod.yaml': BAD });
    const typo = kzt(['audit', '.', '--formt', 'json'], dir);
    assert.equal(typo.code, 2);
    assert.equal(typo.stderr, 'kzt: unknown option --formt; did you mean --format?\nkzt: Run kzt --help for the options.\n');
    const missing = kzt(['audit', '.', '--format'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^kzt: --format needs a value$/m);
    const command = kzt(['audti', '.'], dir);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "audti"; did you mean audit\?/);
    const far = kzt(['audit', '--zzzzzzzz'], dir);
    assert.match(far.stderr, /^kzt: unknown option --zzzzzzzz\n/);
  });

  test('markdown report: posture tables, findings and suppressions with reasons', () => {
    const suppressed = BAD.replace('metadata: {name: web, namespace: shop}', 'metadata:\n  name: web\n  namespace: shop\n  annotations:\n    kube-zero-trust.io/ignore: "run-as-root" # base image needs root');
    const dir = folderWith({ 'pod.yaml': suppressed });
    const { stdout } = kzt(['audit', '.', '--format', 'markdown'], dir);
    assert.match(stdout, /^# Kubernetes Zero Trust posture report/);
    assert.match(stdout, /\| least-privilege \| 1 \|/);
    assert.match(stdout, /\| shop \| \d+ \|/);
    assert.match(stdout, /\| run-as-root \| Pod\/web \| pod\.yaml:\d+ \| annotation \| base image needs root \|/);
  });

  test('`-` reads standard input (rendered Helm output)', () => {
    const dir = folderWith({});
    const { code, stdout } = kzt(['audit', '-', '--format', 'compact'], dir, BAD);
    assert.equal(code, 1);
    assert.match(stdout, /^<stdin>:8:37 error privileged-container/m);
  });

  test('the config file is found in the working directory or given with --config; invalid config exits 2 with the line', () => {
    const dir = folderWith({ 'pod.yaml': BAD, '.kube-zero-trust.yaml': 'rules:\n  privileged-container: off\nexemptions:\n  - {kind: Pod, rules: [run-as-root], reason: test}\nexclude: ["vendor/**"]\n' });
    mkdirSync(join(dir, 'vendor'));
    writeFileSync(join(dir, 'vendor', 'x.yaml'), BAD);
    const run = kzt(['audit', '.', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout);
    assert.ok(!report.findings.some((f: { ruleId: string; file: string }) => f.ruleId === 'privileged-container' || f.ruleId === 'run-as-root' || f.file.startsWith('vendor')), run.stdout);
    assert.equal(report.suppressed.filter((f: { ruleId: string }) => f.ruleId === 'run-as-root').length, 1);
    writeFileSync(join(dir, 'broken.yaml'), 'profile: loud\n');
    const broken = kzt(['audit', '.', '--config', 'broken.yaml'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.yaml:1:\d+: .*profile/);
  });

  test('Helm chart templates are skipped with one hint per chart', () => {
    const dir = folderWith({});
    mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'chart', 'templates', 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n');
    writeFileSync(join(dir, 'chart', 'templates', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n');
    writeFileSync(join(dir, 'pod.yaml'), BAD);
    const run = kzt(['audit', '.'], dir);
    assert.equal(run.code, 1, 'a chart is a note: the findings decide');
    assert.equal(run.stdout.match(/Helm chart templates are not checked/g)?.length, 1);
    assert.match(run.stdout, /^ {2}info {5}chart: Helm chart templates are not checked.*helm template .* \| kzt audit -/m);
    assert.doesNotMatch(run.stdout, /templates\//);
    const json = JSON.parse(kzt(['audit', '.', '--format', 'json'], dir).stdout);
    assert.deepEqual(json.skipped.map((s: { file: string; level: string }) => [s.file, s.level]), [['chart', 'note']]);
    const onlyChart = kzt(['audit', 'chart'], dir);
    assert.equal(onlyChart.code, 2, 'a chart alone is nothing to check');
    assert.match(onlyChart.stderr, /no Kubernetes YAML found under chart/);
  });

  test('a wildcard ClusterRole and its binding: one finding per root cause, none stacked on the same `*`', () => {
    const dir = folderWith({
      'rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
  - {apiGroups: [""], resources: ["*"], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: ServiceAccount, name: ops, namespace: tools}]
`,
    });
    const { stdout } = kzt(['audit', 'rbac.yaml', '--format', 'json', '--fail-on', 'none'], dir);
    const rbac = JSON.parse(stdout)
      .findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('rbac-'))
      .map((f: { ruleId: string; severity: string; range: { start: { line: number; character: number } }; message: string }) => [f.ruleId, f.severity, `${f.range.start.line}:${f.range.start.character}`, f.message.split('. ')[0]]);
    assert.deepEqual(rbac, [
      ['rbac-wildcard', 'error', '4:17', 'ClusterRole everything (rules[0]) has a wildcard in its verbs, resources and API groups'],
      ['rbac-wildcard', 'warning', '5:34', 'ClusterRole everything (rules[1]) has a wildcard in its resources'],
      ['rbac-cluster-admin-binding', 'error', '10:72', 'ClusterRoleBinding ops-everything grants the equivalent of cluster-admin'],
    ]);
  });

  test('an audit split over worker threads (--jobs) reports exactly what one thread does, cross-file findings included', () => {
    const examples = join(root, 'examples');
    const args = (jobs: string) => ['audit', '-', examples, join(root, 'test', 'robustness'), '--format', 'json', '--fail-on', 'none', '--jobs', jobs];
    const one = kzt(args('1'), root, BAD);
    const report = JSON.parse(one.stdout);
    // Cross-file findings depend on resources the other threads parsed.
    for (const rule of ['workload-not-isolated', 'rbac-secrets-access', 'service-account-token-automount']) assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === rule), rule);
    assert.ok(report.findings.some((f: { file: string }) => f.file === '<stdin>'));
    for (const jobs of ['2', '3']) {
      const split = kzt(args(jobs), root, BAD);
      assert.equal(split.code, 0, split.stderr);
      assert.equal(split.stdout, one.stdout, `--jobs ${jobs}`);
      assert.equal(split.stderr, one.stderr);
    }
    assert.equal(kzt(['audit', '.', '--jobs', '0'], root).code, 2);
  });
});
