import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addableCapabilities,
  BASELINE_CAPABILITIES,
  canonicalCapability,
  RESTRICTED_ALLOWED_VOLUMES,
  RESTRICTED_CAPABILITIES,
  RESTRICTED_FORBIDDEN_VOLUMES,
  SAFE_SYSCTLS,
  seccompTypeFromAnnotation,
  securityContextSites,
  usesUserNamespace,
} from '../../../server/src/model/pss';
import type { PodSpecView } from '../../../server/src/model/pod-spec';
import { Workspace } from '../../../server/src/workspace/workspace';

function podOf(yaml: string): PodSpecView {
  const [resource] = new Workspace().setFile('file:///pod.yaml', yaml).resources;
  assert.ok(resource?.podSpec, 'the test document has a pod spec');
  return resource.podSpec;
}

const LINUX_POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: app, image: nginx:1.27}]
`;

describe('capabilities', () => {
  test('canonical names drop the CAP_ prefix and case, as container runtimes do', () => {
    assert.equal(canonicalCapability('CAP_SYS_ADMIN'), 'SYS_ADMIN');
    assert.equal(canonicalCapability('cap_net_raw'), 'NET_RAW');
    assert.equal(canonicalCapability('sys_admin'), 'SYS_ADMIN');
    assert.equal(canonicalCapability('ALL'), 'ALL');
    assert.equal(canonicalCapability(' chown '), 'CHOWN');
  });

  // The lists themselves are compared with PSA's in upstream.test.ts.
  test('PSA compares capability names exactly: prefixed spellings are not in the lists', () => {
    assert.ok(BASELINE_CAPABILITIES.has('CHOWN') && !BASELINE_CAPABILITIES.has('CAP_CHOWN'));
  });

  test('restricted uses the restricted list, except for Windows pods (the baseline list)', () => {
    const windows = podOf(LINUX_POD.replace('spec:\n', 'spec:\n  os: {name: windows}\n'));
    assert.equal(addableCapabilities('restricted', podOf(LINUX_POD)), RESTRICTED_CAPABILITIES);
    assert.equal(addableCapabilities('baseline', podOf(LINUX_POD)), BASELINE_CAPABILITIES);
    assert.equal(addableCapabilities('restricted', windows), BASELINE_CAPABILITIES);
  });
});

// The allow-lists equal PSA's own (upstream.test.ts, from psa-upstream.json); here, how they are used.
describe('allow-lists', () => {
  test('sysctl names are compared exactly: the slash spelling the kernel also accepts is not allowed', () => {
    assert.ok(SAFE_SYSCTLS.has('net.ipv4.tcp_syncookies'));
    assert.ok(!SAFE_SYSCTLS.has('net/ipv4/tcp_syncookies'));
  });

  test('restricted volumes: the allowed and forbidden sources do not overlap', () => {
    for (const source of RESTRICTED_ALLOWED_VOLUMES) assert.ok(!RESTRICTED_FORBIDDEN_VOLUMES.has(source), source);
  });
});

describe('pod structure', () => {
  test('securityContextSites lists the pod level first, then containers that have one, across the three lists', () => {
    const pod = podOf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true}
      initContainers: [{name: init, image: busybox, securityContext: {privileged: false}}]
      containers:
        - {name: app, image: nginx}
        - {name: side, image: envoy, securityContext: {}}
      ephemeralContainers: [{name: debug, image: busybox, securityContext: {}}]
`);
    assert.deepEqual(
      securityContextSites(pod).map((site) => site.container?.name ?? 'pod'),
      ['pod', 'init', 'side', 'debug'],
    );
  });

  test('usesUserNamespace only for a real boolean false', () => {
    assert.ok(usesUserNamespace(podOf(LINUX_POD.replace('spec:\n', 'spec:\n  hostUsers: false\n'))));
    assert.ok(!usesUserNamespace(podOf(LINUX_POD.replace('spec:\n', 'spec:\n  hostUsers: "false"\n'))));
    assert.ok(!usesUserNamespace(podOf(LINUX_POD)));
  });
});

describe('deprecated seccomp annotations', () => {
  test('map to the field type the API server derives, or to none', () => {
    assert.equal(seccompTypeFromAnnotation('runtime/default'), 'RuntimeDefault');
    assert.equal(seccompTypeFromAnnotation('docker/default'), 'RuntimeDefault');
    assert.equal(seccompTypeFromAnnotation('localhost/profiles/audit.json'), 'Localhost');
    assert.equal(seccompTypeFromAnnotation('unconfined'), 'Unconfined');
    assert.equal(seccompTypeFromAnnotation('Unconfined'), undefined);
    assert.equal(seccompTypeFromAnnotation(''), undefined);
  });
});
