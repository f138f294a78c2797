// The Pod Security Standards as pod-security-admission (PSA) itself defines them, not restated:
// psa-upstream.json holds the allow-lists of PSA's policy checks and the pass/fail Pod fixtures
// PSA generates for its newest policy version (repository, commit and path of each inside).
// Every fixture is linted as a Pod manifest at its level: the rules of its check fire on the
// fail fixtures and no Pod Security rule fires on the pass ones; our tables equal PSA's lists.
// A case where our rule knowingly differs is listed under `knownDifferences` with its reason,
// and pinned: the test fails if our result changes, so the entry is revisited.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { RULES } from '../../../rules';
import { lintText } from '../../../server/src/engine/engine';
import {
  APPARMOR_ANNOTATION_PREFIX,
  BASELINE_CAPABILITIES,
  CONFINED_PROFILE_TYPES,
  DROP_ALL,
  isAllowedAppArmorAnnotation,
  RESTRICTED_ALLOWED_VOLUMES,
  RESTRICTED_CAPABILITIES,
  RESTRICTED_FORBIDDEN_VOLUMES,
  SAFE_SYSCTLS,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  seccompTypeFromAnnotation,
  SELINUX_TYPES,
} from '../../../server/src/model/pss';

interface Fixture {
  path: string;
  level: 'baseline' | 'restricted';
  /** PSA check id; null for the base pods every fixture starts from. */
  check: string | null;
  expect: 'pass' | 'fail';
  pod: object;
}

interface KnownDifference {
  reason: string;
  /** The Pod Security rules that fire on the fixture here (pinned). */
  ours: string[];
}

interface Upstream {
  source: { repository: string; commit: string; policyVersion: string };
  allowed: {
    capabilitiesBaselineAdd: { values: string[] };
    capabilitiesRestrictedAdd: { values: string[] };
    capabilitiesRestrictedDropMustInclude: { value: string };
    sysctls: { values: Record<string, string> };
    restrictedVolumesAllowed: { values: string[] };
    restrictedVolumesForbidden: { values: string[] };
    seLinuxTypes: { values: Record<string, string[]> };
    seccompProfileTypes: { values: string[] };
    seccompAnnotationValues: { exact: string[]; prefix: string };
    seccompAnnotationKeys: { pod: string; containerPrefix: string };
    appArmorProfileTypes: { values: string[] };
    appArmorAnnotationValues: { empty: boolean; exact: string[]; prefix: string };
    hostPorts: { values: number[] };
  };
  knownDifferences: Record<string, KnownDifference>;
  fixtures: Fixture[];
}

const upstream = JSON.parse(readFileSync(join(__dirname, 'psa-upstream.json'), 'utf8')) as Upstream;

/**
 * Our rules for each PSA check: `rules` (at least one fires on every fail fixture) and `also`
 * (may fire too, because the fixture breaks that other check as well: PSA's fixtures change
 * what their check needs and nothing else, which can leave another check unmet).
 */
const RULES_OF: Record<string, { rules: string[]; also?: string[] }> = {
  // A container without a securityContext also lacks `capabilities.drop: [ALL]`.
  allowPrivilegeEscalation: { rules: ['privilege-escalation-allowed'], also: ['capabilities-not-dropped'] },
  appArmorProfile: { rules: ['apparmor-unconfined'] },
  capabilities_baseline: { rules: ['dangerous-capability-added'] },
  // Restricted: drop ALL (capabilities-not-dropped) and add nothing but NET_BIND_SERVICE.
  capabilities_restricted: { rules: ['capabilities-not-dropped', 'dangerous-capability-added'] },
  hostNamespaces: { rules: ['host-namespace'] },
  // At restricted, PSA checks hostPath volumes as restricted volumes (restrictedVolumes overrides hostPathVolumes).
  hostPathVolumes: { rules: ['host-path-volume'] },
  hostPorts: { rules: ['host-port'] },
  hostProbesAndHostLifecycle: { rules: ['probe-host-set'] },
  // The privileged fixtures replace the restricted base's securityContext: no `allowPrivilegeEscalation: false` either.
  privileged: { rules: ['privileged-container'], also: ['privilege-escalation-allowed'] },
  procMount: { rules: ['proc-mount-unmasked'] },
  procMount_restricted: { rules: ['proc-mount-unmasked'] },
  // A hostPath volume is reported by host-path-volume alone (path-specific advice), at both levels.
  restrictedVolumes: { rules: ['restricted-volume-type', 'host-path-volume'] },
  runAsNonRoot: { rules: ['run-as-root'] },
  runAsUser: { rules: ['run-as-root'] },
  seccompProfile_baseline: { rules: ['seccomp-not-enforced'] },
  seccompProfile_restricted: { rules: ['seccomp-not-enforced'] },
  seLinuxOptions: { rules: ['selinux-custom-options'] },
  sysctls: { rules: ['unsafe-sysctl'] },
  // Windows HostProcess pods must also use the host network (hostNamespaces).
  windowsHostProcess: { rules: ['windows-host-process'], also: ['host-namespace'] },
};

const PSS_RULES = RULES.filter((r) => r.meta.pss);

/** The Pod Security rules that fire on a fixture, linted as a Pod manifest at its level. */
function pssFindings(fixture: Fixture): string[] {
  const result = lintText(stringify(fixture.pod), { rules: PSS_RULES, config: { profile: fixture.level, rules: {} } });
  assert.deepEqual(result.failures, [], `${fixture.path}: a rule threw`);
  return [...new Set(result.findings.map((f) => f.ruleId))].sort();
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe(`pod-security-admission ${upstream.source.policyVersion} fixtures (${upstream.source.repository} at ${upstream.source.commit.slice(0, 12)})`, () => {
  test('every PSA check of the fixtures maps to our Pod Security rules, and every one of those rules is used', () => {
    const checks = new Set(upstream.fixtures.map((f) => f.check).filter((c): c is string => c !== null));
    assert.deepEqual(sorted(checks), sorted(Object.keys(RULES_OF)));
    const mapped = new Set(Object.values(RULES_OF).flatMap((m) => [...m.rules, ...(m.also ?? [])]));
    assert.deepEqual(sorted(mapped), sorted(PSS_RULES.map((r) => r.meta.id)));
    for (const id of mapped) assert.ok(RULES.some((r) => r.meta.id === id), id);
  });

  test('known differences name existing fixtures and give a reason', () => {
    for (const [path, difference] of Object.entries(upstream.knownDifferences)) {
      assert.ok(upstream.fixtures.some((f) => f.path === path), `${path}: no such fixture`);
      assert.ok(difference.reason.length > 20, `${path}: the reason is missing`);
    }
  });

  for (const fixture of upstream.fixtures) {
    test(`${fixture.level} ${fixture.expect}: ${fixture.path.split('/').pop()}${fixture.check ? ` (${fixture.check})` : ''}`, () => {
      const fired = pssFindings(fixture);
      const known = upstream.knownDifferences[fixture.path];
      if (known) {
        assert.deepEqual(fired, sorted(known.ours), `${fixture.path}: the known difference changed (${known.reason}); update psa-upstream.json`);
        return;
      }
      const yaml = `\n${stringify(fixture.pod)}`;
      if (fixture.expect === 'pass') {
        assert.deepEqual(fired, [], `${fixture.path}: PSA admits this pod at ${fixture.level}, but rules fire${yaml}`);
        return;
      }
      const { rules, also = [] } = RULES_OF[fixture.check!];
      assert.ok(fired.some((id) => rules.includes(id)), `${fixture.path}: PSA rejects this pod at ${fixture.level} (${fixture.check}), none of ${rules.join(', ')} fires (fired: ${fired.join(', ') || 'none'})${yaml}`);
      const unrelated = fired.filter((id) => !rules.includes(id) && !also.includes(id));
      assert.deepEqual(unrelated, [], `${fixture.path}: rules for other checks fire${yaml}`);
    });
  }
});

describe(`our Pod Security tables equal PSA's lists (${upstream.source.repository} at ${upstream.source.commit.slice(0, 12)})`, () => {
  const allowed = upstream.allowed;

  test('capabilities: the baseline add list, the restricted add list, the restricted drop entry', () => {
    assert.deepEqual(sorted(BASELINE_CAPABILITIES), sorted(allowed.capabilitiesBaselineAdd.values));
    assert.deepEqual(sorted(RESTRICTED_CAPABILITIES), sorted(allowed.capabilitiesRestrictedAdd.values));
    assert.equal(DROP_ALL, allowed.capabilitiesRestrictedDropMustInclude.value);
  });

  test('safe sysctls, with the policy version that first allows each', () => {
    assert.deepEqual(Object.fromEntries([...SAFE_SYSCTLS].sort(([a], [b]) => a.localeCompare(b))), Object.fromEntries(Object.entries(allowed.sysctls.values).sort(([a], [b]) => a.localeCompare(b))));
  });

  test('restricted volumes: the allowed and the forbidden sources', () => {
    assert.deepEqual(sorted(RESTRICTED_ALLOWED_VOLUMES), sorted(allowed.restrictedVolumesAllowed.values));
    assert.deepEqual(sorted(RESTRICTED_FORBIDDEN_VOLUMES), sorted(allowed.restrictedVolumesForbidden.values));
  });

  test('SELinux types: the newest list (every older list is contained in it)', () => {
    const versions = Object.keys(allowed.seLinuxTypes.values).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    assert.deepEqual(sorted(SELINUX_TYPES), sorted(allowed.seLinuxTypes.values[versions[versions.length - 1]]));
    for (const version of versions) for (const type of allowed.seLinuxTypes.values[version]) assert.ok(SELINUX_TYPES.has(type), `${version}: ${type}`);
  });

  test('seccomp and AppArmor profile types', () => {
    assert.deepEqual(sorted(CONFINED_PROFILE_TYPES), sorted(allowed.seccompProfileTypes.values));
    assert.deepEqual(sorted(CONFINED_PROFILE_TYPES), sorted(allowed.appArmorProfileTypes.values));
  });

  test('seccomp annotations: the keys, and the values PSA accepts map to a confining profile type', () => {
    assert.equal(SECCOMP_POD_ANNOTATION, allowed.seccompAnnotationKeys.pod);
    assert.equal(SECCOMP_CONTAINER_ANNOTATION_PREFIX, allowed.seccompAnnotationKeys.containerPrefix);
    const { exact, prefix } = allowed.seccompAnnotationValues;
    const accepted = (value: string) => exact.includes(value) || value.startsWith(prefix);
    for (const value of [...exact, `${prefix}profiles/audit.json`, prefix, 'unconfined', 'Unconfined', 'RuntimeDefault', '', 'localhost', 'runtime/default/x']) {
      const type = seccompTypeFromAnnotation(value);
      assert.equal(type !== undefined && CONFINED_PROFILE_TYPES.has(type), accepted(value), JSON.stringify(value));
    }
  });

  test('AppArmor annotations: the values PSA accepts', () => {
    assert.ok(APPARMOR_ANNOTATION_PREFIX.endsWith('/'));
    const { empty, exact, prefix } = allowed.appArmorAnnotationValues;
    const accepted = (value: string) => (empty && value === '') || exact.includes(value) || value.startsWith(prefix);
    for (const value of ['', ...exact, `${prefix}k8s-nginx`, prefix, 'unconfined', 'Unconfined', 'RuntimeDefault', 'localhost', 'docker/default']) {
      assert.equal(isAllowedAppArmorAnnotation(value), accepted(value), JSON.stringify(value));
    }
  });

  test('host ports: only 0 (unset) is allowed', () => {
    assert.deepEqual(allowed.hostPorts.values, [0]);
    const pod = (hostPort: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: app, image: nginx, ports: [{containerPort: 80, hostPort: ${hostPort}}]}]\n`;
    const fires = (hostPort: number) => lintText(pod(hostPort), { rules: RULES.filter((r) => r.meta.id === 'host-port') }).findings.length > 0;
    for (const port of [0, ...allowed.hostPorts.values]) assert.ok(!fires(port), String(port));
    for (const port of [1, 80, 8080, 65535]) assert.ok(fires(port), String(port));
  });
});
