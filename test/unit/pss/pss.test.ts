import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addableCapabilities,
  BASELINE_CAPABILITIES,
  canonicalCapability,
  isAllowedAppArmorAnnotation,
  RESTRICTED_ALLOWED_VOLUMES,
  RESTRICTED_CAPABILITIES,
  RESTRICTED_FORBIDDEN_VOLUMES,
  SAFE_SYSCTLS,
  seccompTypeFromAnnotation,
  securityContextSites,
  SELINUX_TYPES,
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

  test('the baseline list is the runtime default set without NET_RAW', () => {
    assert.equal(BASELINE_CAPABILITIES.size, 13);
    assert.ok(!BASELINE_CAPABILITIES.has('NET_RAW'));
    assert.ok(BASELINE_CAPABILITIES.has('NET_BIND_SERVICE'));
    // PSA compares exactly: prefixed spellings are not in the list.
    assert.ok(!BASELINE_CAPABILITIES.has('CAP_CHOWN'));
  });

  test('restricted allows only NET_BIND_SERVICE, except for Windows pods (baseline list)', () => {
    const windows = podOf(LINUX_POD.replace('spec:\n', 'spec:\n  os: {name: windows}\n'));
    assert.equal(addableCapabilities('restricted', podOf(LINUX_POD)), RESTRICTED_CAPABILITIES);
    assert.equal(addableCapabilities('baseline', podOf(LINUX_POD)), BASELINE_CAPABILITIES);
    assert.equal(addableCapabilities('restricted', windows), BASELINE_CAPABILITIES);
    assert.deepEqual([...RESTRICTED_CAPABILITIES], ['NET_BIND_SERVICE']);
  });
});

describe('allow-lists', () => {
  test('sysctls: the PSA list up to 1.37, names compared exactly', () => {
    assert.equal(SAFE_SYSCTLS.size, 14);
    assert.equal(SAFE_SYSCTLS.get('net.ipv4.tcp_rmem'), '1.32');
    assert.equal(SAFE_SYSCTLS.get('net.ipv4.tcp_notsent_lowat'), '1.37');
    assert.ok(!SAFE_SYSCTLS.has('net/ipv4/tcp_syncookies'));
    assert.ok(!SAFE_SYSCTLS.has('net.core.somaxconn'));
  });

  test('AppArmor annotations: empty, runtime/default and localhost/* only', () => {
    for (const ok of ['', 'runtime/default', 'localhost/k8s-nginx']) assert.ok(isAllowedAppArmorAnnotation(ok), ok);
    for (const bad of ['unconfined', 'Unconfined', 'RuntimeDefault', 'localhost']) assert.ok(!isAllowedAppArmorAnnotation(bad), bad);
  });

  test('SELinux types include container_engine_t (1.31) and the empty string', () => {
    for (const ok of ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']) assert.ok(SELINUX_TYPES.has(ok), ok);
    assert.ok(!SELINUX_TYPES.has('spc_t'));
  });

  test('restricted volumes: the allowed and forbidden sources do not overlap', () => {
    assert.equal(RESTRICTED_ALLOWED_VOLUMES.size, 9);
    for (const source of RESTRICTED_ALLOWED_VOLUMES) assert.ok(!RESTRICTED_FORBIDDEN_VOLUMES.has(source), source);
    assert.ok(RESTRICTED_FORBIDDEN_VOLUMES.has('hostPath') && RESTRICTED_FORBIDDEN_VOLUMES.has('gitRepo'));
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
