// The workspace config file: parsing with positioned errors, precedence, exemptions, strict, peer annotations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigFile } from '../../server/src/config/config-file';
import { resolveConfig } from '../../server/src/config/resolve-config';
import { lintText } from '../../server/src/engine/engine';
import { parseIgnoreComment } from '../../server/src/engine/suppressions';
import type { EngineConfig } from '../../server/src/engine/config';
import { DEFAULT_SETTINGS } from '../../server/src/protocol/protocol';

const RULES = new Set(['privileged-container', 'run-as-root']);

const POD = (annotations = '', name = 'web', namespace = 'shop') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
${annotations}spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;

const run = (text: string, config: Partial<EngineConfig>) => lintText(text, { config: { profile: 'restricted', rules: {}, ...config } });
const ids = (findings: Array<{ ruleId: string }>) => findings.map((f) => f.ruleId).filter((id) => id === 'privileged-container');

describe('config file', () => {
  test('a valid file parses', () => {
    const { config, errors } = parseConfigFile(
      'profile: baseline\nrules:\n  run-as-root: error\nexclude: ["charts/**"]\nexemptions:\n  - kind: DaemonSet\n    name: "cilium*"\n    reason: CNI needs the host\n    expires: 2027-01-31\n',
      RULES,
    );
    assert.deepEqual(errors, []);
    assert.equal(config?.profile, 'baseline');
    assert.equal(config?.exemptions?.[0].name, 'cilium*');
  });

  test('errors point at the offending line', () => {
    const bad = parseConfigFile('profile: strictest\nrules:\n  run-as-root: loud\n', RULES);
    assert.equal(bad.config, undefined);
    assert.deepEqual(bad.errors.map((e) => e.range.start.line).sort(), [0, 2]);
    const unknownKey = parseConfigFile('profile: baseline\nexclud: ["x"]\n', RULES);
    assert.equal(unknownKey.errors[0].range.start.line, 1);
    assert.match(unknownKey.errors[0].message, /unknown property "exclud"/);
    const unknownRule = parseConfigFile('rules:\n  privileged-containers: off\n', RULES);
    assert.match(unknownRule.errors[0].message, /unknown rule "privileged-containers"/);
    assert.equal(unknownRule.errors[0].range.start.line, 1);
    const missingReason = parseConfigFile('exemptions:\n  - kind: Pod\n', RULES);
    assert.match(missingReason.errors[0].message, /reason/);
    const syntax = parseConfigFile('rules: [\n', RULES);
    assert.ok(syntax.errors.length > 0 && !syntax.config);
  });

  test('globs too costly to match are errors at their line', () => {
    const stars = `${'*a'.repeat(17)}.yaml`;
    const tooManyStars = parseConfigFile(`profile: baseline\nexclude:\n  - "charts/**"\n  - "${stars}"\n`, RULES);
    assert.equal(tooManyStars.config, undefined);
    assert.equal(tooManyStars.errors.length, 1);
    assert.equal(tooManyStars.errors[0].range.start.line, 3);
    assert.match(tooManyStars.errors[0].message, /exclude\.1: glob with 17 "\*", more than 16/);
    const long = parseConfigFile(`exclude: ["${'a'.repeat(1025)}"]\n`, RULES);
    assert.match(long.errors[0].message, /exclude\.0: glob longer than 1024 characters/);
    const longPattern = parseConfigFile(`exemptions:\n  - reason: x\n    name: "${'a*'.repeat(129)}"\n`, RULES);
    assert.equal(longPattern.errors[0].range.start.line, 2);
    assert.match(longPattern.errors[0].message, /exemptions\.0\.name: pattern longer than 256 characters/);
    const atTheLimits = parseConfigFile(`exclude: ["${'**/'.repeat(7)}*a*.yaml", "${'a'.repeat(1024)}"]\nexemptions:\n  - {reason: x, namespace: "${'a*'.repeat(128)}"}\n`, RULES);
    assert.deepEqual(atTheLimits.errors, []);
  });

  test('precedence: defaults < VS Code settings < the config file', () => {
    const settings = { ...DEFAULT_SETTINGS, profile: 'baseline' as const, rules: { 'run-as-root': 'info' as const, 'privileged-container': 'warning' as const }, defaultNamespace: 'mine' };
    const resolved = resolveConfig(settings, { rules: { 'run-as-root': 'error' }, defaultNamespace: 'team' }, '2026-01-01');
    assert.equal(resolved.engine.profile, 'baseline');
    assert.deepEqual(resolved.engine.rules, { 'run-as-root': 'error', 'privileged-container': 'warning' });
    assert.equal(resolved.defaultNamespace, 'team');
    assert.equal(resolveConfig(settings, { profile: 'restricted' }, '2026-01-01').engine.profile, 'restricted');
  });

  test('requireNamespace: off by default, the editor setting turns it on, the config file wins', () => {
    assert.equal(resolveConfig(DEFAULT_SETTINGS, undefined, '2026-01-01').engine.requireNamespace, false);
    const asked = { ...DEFAULT_SETTINGS, requireNamespace: true };
    assert.equal(resolveConfig(asked, undefined, '2026-01-01').engine.requireNamespace, true);
    assert.equal(resolveConfig(asked, { requireNamespace: false }, '2026-01-01').engine.requireNamespace, false);
    assert.deepEqual(parseConfigFile('requireNamespace: true\n', RULES), { config: { requireNamespace: true }, errors: [] });
    assert.match(parseConfigFile('requireNamespace: yes please\n', RULES).errors[0].message, /requireNamespace/);
  });
});

describe('kzt-ignore comments', () => {
  test('the rules, then the reason after the first blank-preceded `--`', () => {
    const parsed = (line: string) => {
      const comment = parseIgnoreComment(line);
      return comment && { rules: [...comment.rules], reason: comment.reason };
    };
    assert.deepEqual(parsed('# kzt-ignore a'), { rules: ['a'], reason: undefined });
    assert.deepEqual(parsed('   #kzt-ignore a,b  c -- why not  '), { rules: ['a', 'b', 'c'], reason: 'why not' });
    assert.deepEqual(parsed('# kzt-ignore a --'), { rules: ['a'], reason: undefined });
    assert.deepEqual(parsed('# kzt-ignore a -- x -- y'), { rules: ['a'], reason: 'x -- y' });
    assert.deepEqual(parsed('# kzt-ignore a--b'), { rules: ['a--b'], reason: undefined });
    assert.deepEqual(parsed('#\tkzt-ignore\ta\t--\tb'), { rules: ['a'], reason: 'b' });
    for (const line of ['# kzt-ignore', '# kzt-ignorea', 'kzt-ignore a', '# kzt-ignore a\u2028b', '// kzt-ignore a']) assert.equal(parsed(line), undefined, JSON.stringify(line));
  });

  test('a line of 200,000 blanks is parsed at once', () => {
    const started = performance.now();
    assert.deepEqual([...parseIgnoreComment(`# kzt-ignore a${' '.repeat(200_000)}b`)!.rules], ['a', 'b']);
    assert.ok(performance.now() - started < 1_000);
  });

  test('above a sequence item it covers the whole item (its nested findings), not the next item', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    # kzt-ignore privileged-container -- the GPU driver needs it
    - name: driver
      image: driver:1.0
      securityContext:
        privileged: true
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;
    const result = run(text, {});
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => f.range.start.line), [13]);
    assert.deepEqual(result.suppressed.filter((f) => f.ruleId === 'privileged-container').map((f) => [f.range.start.line, f.suppressed]), [
      [9, { by: 'comment', reason: 'the GPU driver needs it' }],
    ]);
  });
});

describe('exemptions', () => {
  const exemption = { kind: 'Pod', name: 'web*', namespace: 'shop', rules: ['privileged-container'], reason: 'GPU driver' };

  test('match by kind, name glob, namespace and rule; reported as suppressed with the reason', () => {
    const result = run(POD(), { exemptions: [exemption] });
    assert.deepEqual(ids(result.findings), []);
    assert.deepEqual(result.suppressed.filter((f) => f.ruleId === 'privileged-container').map((f) => f.suppressed), [{ by: 'exemption', reason: 'GPU driver' }]);
  });

  test('do not match another name, namespace, kind or container', () => {
    for (const other of [{ name: 'api*' }, { namespace: 'prod' }, { kind: 'Deployment' }, { container: 'sidecar' }]) {
      assert.deepEqual(ids(run(POD(), { exemptions: [{ ...exemption, ...other }] }).findings), ['privileged-container'], JSON.stringify(other));
    }
    assert.deepEqual(ids(run(POD(), { exemptions: [{ ...exemption, container: 'a*' }] }).findings), []);
  });

  test('patterns are wildcards (`*`, `?`) on names Kubernetes accepts: longer names are never exempted', () => {
    assert.deepEqual(ids(run(POD('', 'web-1'), { exemptions: [{ ...exemption, name: 'web-?', namespace: '*p' }] }).findings), []);
    assert.deepEqual(ids(run(POD('', 'web-10'), { exemptions: [{ ...exemption, name: 'web-?' }] }).findings), ['privileged-container']);
    assert.deepEqual(ids(run(POD('', 'web-[1]'), { exemptions: [{ ...exemption, name: 'web-[1]' }] }).findings), [], 'brackets are literal');
    assert.deepEqual(ids(run(POD('', 'w'.repeat(253)), { exemptions: [{ ...exemption, name: '*' }] }).findings), []);
    assert.deepEqual(ids(run(POD('', 'w'.repeat(254)), { exemptions: [{ ...exemption, name: '*' }] }).findings), ['privileged-container']);
  });

  test('expire on their date', () => {
    const expiring = { ...exemption, expires: '2026-06-30' };
    assert.deepEqual(ids(run(POD(), { exemptions: [expiring], today: '2026-06-29' }).findings), []);
    assert.deepEqual(ids(run(POD(), { exemptions: [expiring], today: '2026-06-30' }).findings), ['privileged-container']);
  });

  test('namespace globs match the default namespace of objects without one', () => {
    const noNamespace = POD().replace('  namespace: shop\n', '');
    assert.deepEqual(ids(run(noNamespace, { exemptions: [{ namespace: 'default', reason: 'legacy' }] }).findings), []);
  });
});

describe('strict rules and in-source suppressions', () => {
  const annotated = POD('  annotations:\n    kube-zero-trust.io/ignore: "privileged-container" # the GPU driver needs it\n');

  test('the annotation suppresses, with the reason from its trailing comment', () => {
    const result = run(annotated, {});
    assert.deepEqual(ids(result.findings), []);
    assert.deepEqual(result.suppressed.find((f) => f.ruleId === 'privileged-container')?.suppressed, { by: 'annotation', reason: 'the GPU driver needs it' });
  });

  test('strict rules ignore annotations and comments but not exemptions', () => {
    assert.deepEqual(ids(run(annotated, { strict: ['privileged-container'] }).findings), ['privileged-container']);
    const commented = POD().replace('        privileged: true', '        # kzt-ignore privileged-container -- legacy\n        privileged: true');
    assert.deepEqual(ids(run(commented, {}).findings), []);
    assert.deepEqual(ids(run(commented, { strict: ['privileged-container'] }).findings), ['privileged-container']);
    assert.deepEqual(ids(run(annotated, { strict: ['privileged-container'], exemptions: [{ reason: 'x' }] }).findings), []);
  });
});

describe('other tools\' annotations', () => {
  // The value written for the other tool is the reason; an annotation without one names itself.
  const cases: Array<[string, string, string]> = [
    ['kube-linter', '    ignore-check.kube-linter.io/privileged-container: "needs it"\n', 'needs it'],
    ['kube-linter all', '    kube-linter.io/ignore-all: "vendor"\n', 'vendor'],
    ['kube-linter without a value', '    ignore-check.kube-linter.io/privileged-container: ""\n', 'annotation ignore-check.kube-linter.io/privileged-container'],
    ['Polaris', '    polaris.fairwinds.com/runAsPrivileged-exempt: "true"\n', 'annotation polaris.fairwinds.com/runAsPrivileged-exempt'],
    ['Checkov', '    checkov.io/skip1: CKV_K8S_16=needs the GPU driver\n', 'needs the GPU driver'],
    ['Checkov without a comment', '    checkov.io/skip1: CKV_K8S_16\n', 'annotation checkov.io/skip1'],
    ['kube-score', '    kube-score/ignore: container-security-context-privileged,container-resources\n', 'annotation kube-score/ignore'],
  ];
  for (const [tool, annotation, reason] of cases) {
    test(`${tool} annotation silences the mapped rule with its reason (and can be turned off)`, () => {
      const text = POD(`  annotations:\n${annotation}`);
      assert.deepEqual(ids(run(text, {}).findings), []);
      assert.deepEqual(run(text, {}).suppressed.find((f) => f.ruleId === 'privileged-container')?.suppressed, { by: 'peer-annotation', reason });
      assert.deepEqual(ids(run(text, { peerAnnotations: false }).findings), ['privileged-container']);
    });
  }

  test('an annotation for another check does not silence this rule', () => {
    assert.deepEqual(ids(run(POD('  annotations:\n    checkov.io/skip1: CKV_K8S_20\n    polaris.fairwinds.com/hostNetworkSet-exempt: "true"\n'), {}).findings), ['privileged-container']);
  });
});
